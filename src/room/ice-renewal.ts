import type { IceConfig } from './server-api.js';

/** Renew TURN credentials when this share of their lifetime has passed. */
const ICE_RENEWAL_POINT = 0.8;

/** A renewal that failed is tried again this long after. */
const RETRY_MS = 60_000;

/** TURN credentials from the server expire: this fetches new ones before they do. */
export class IceRenewal {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private isStopped = false;

  /**
   * @param fetch asks the server for fresh ICE servers
   * @param apply hands them to the connections
   * @param soonestMs the soonest a renewal comes, however short the lifetime
   */
  constructor(
    private readonly fetch: () => Promise<IceConfig>,
    private readonly apply: (iceServers: RTCIceServer[]) => void,
    private readonly soonestMs = 30_000,
  ) {}

  /** Renews ahead of `expiresAt` (ms since the epoch), and again after each renewal; null: never. */
  schedule(expiresAt: number | null): void {
    clearTimeout(this.timer);
    if (expiresAt === null || this.isStopped) return;
    const delay = Math.max(this.soonestMs, (expiresAt - Date.now()) * ICE_RENEWAL_POINT);
    this.timer = setTimeout(async () => {
      try {
        const ice = await this.fetch();
        if (this.isStopped) return;
        this.apply(ice.iceServers);
        this.schedule(ice.expiresAt);
      } catch {
        this.schedule(Date.now() + RETRY_MS);
      }
    }, delay);
  }

  stop(): void {
    this.isStopped = true;
    clearTimeout(this.timer);
  }
}
