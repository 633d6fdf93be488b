// Plain JavaScript with JSDoc types so that the server (Node, no build step) and the element
// share one rate limiter: the server per signalling socket, the element per peer's chat.

/** @returns {number} */
const monotonicNow = () => performance.now();

/**
 * A token bucket: `burst` takes at once, then `perSecond` on average. With an `overdraft`, a
 * refused take still costs a token, so a holder that keeps going stays refused, and once its debt
 * passes the overdraft it is reported `overdrawn`; without one, a refused take costs nothing.
 */
export class TokenBucket {
  #perSecond;
  #burst;
  #overdraft;
  #now;
  #tokens;
  #updatedAt;

  /**
   * @param {object} options
   * @param {number} options.perSecond tokens regained per second
   * @param {number} options.burst tokens available at once
   * @param {number} [options.overdraft] debt refused takes may run up before `overdrawn` (default 0)
   * @param {() => number} [options.now] a monotonic clock in ms
   */
  constructor({ perSecond, burst, overdraft = 0, now = monotonicNow }) {
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#overdraft = overdraft;
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
    // A clock that steps back regains nothing.
    const regained = (Math.max(0, now - this.#updatedAt) * this.#perSecond) / 1000;
    this.#tokens = Math.min(this.#burst, this.#tokens + regained);
    this.#updatedAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 'granted';
    }
    if (this.#overdraft === 0) return 'denied';
    this.#tokens -= 1;
    return this.#tokens < -this.#overdraft ? 'overdrawn' : 'denied';
  }
}
