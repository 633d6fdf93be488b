import { TokenBucket as SharedTokenBucket } from '../limits/token-bucket.js';

/**
 * The chat's rate limit: `burst` messages at once, then `perSecond` on average, on the bucket the
 * server's signalling uses too. Each peer gets one, so a flood from one of them is cut off while
 * everyone else's messages go on; a dropped message costs nothing.
 */
export class TokenBucket {
  private readonly bucket: SharedTokenBucket;

  constructor(perSecond: number, burst: number, now?: () => number) {
    this.bucket = new SharedTokenBucket({ perSecond, burst, now });
  }

  /** Takes one token; false when the bucket is empty (the message is to be dropped). */
  take(): boolean {
    return this.bucket.take() === 'granted';
  }
}
