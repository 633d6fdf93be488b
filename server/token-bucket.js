/**
 * A token bucket that lets its holder run into debt: every `take()` costs a token, tokens come
 * back at `perSecond` up to `burst`. Below zero the holder is over its rate; once the debt
 * passes another `burst`, it has kept going long after being refused.
 */
export class TokenBucket {
  #perSecond;
  #burst;
  #now;
  #tokens;
  #updatedAt;

  /**
   * @param {object} options
   * @param {number} options.perSecond tokens regained per second
   * @param {number} options.burst tokens available at once (and the debt allowed)
   * @param {() => number} [options.now] a monotonic clock in ms
   */
  constructor({ perSecond, burst, now = () => performance.now() }) {
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  /**
   * Spends one token.
   * @returns {'granted' | 'denied' | 'overdrawn'} within the rate, over it, or over it for too long
   */
  take() {
    const now = this.#now();
    const regained = ((now - this.#updatedAt) * this.#perSecond) / 1000;
    this.#tokens = Math.min(this.#burst, this.#tokens + regained) - 1;
    this.#updatedAt = now;
    if (this.#tokens >= 0) return 'granted';
    return this.#tokens < -this.#burst ? 'overdrawn' : 'denied';
  }
}
