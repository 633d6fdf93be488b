/**
 * A token bucket per key (a client address): `perMinute` tokens a minute, at most `burst` at
 * once. Buckets that have filled up again are forgotten, so memory follows the active keys.
 */
export class RateLimiter {
  #perMs;
  #burst;
  #now;
  /** @type {Map<string, { tokens: number, at: number }>} */
  #buckets = new Map();
  #sweptAt;

  /**
   * @param {object} options
   * @param {number} options.perMinute
   * @param {number} [options.burst] default: a minute's worth
   * @param {() => number} [options.now] a monotonic clock in ms
   */
  constructor({ perMinute, burst = perMinute, now = () => performance.now() }) {
    this.#perMs = perMinute / 60_000;
    this.#burst = burst;
    this.#now = now;
    this.#sweptAt = now();
  }

  /**
   * Spends a token of `key`.
   * @param {string} key
   * @returns {number} 0 when granted, else the ms until a token is back
   */
  take(key) {
    const now = this.#now();
    this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#perMs);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs);
  }

  /** Keys with a partly spent bucket. */
  get size() {
    return this.#buckets.size;
  }

  /** @param {number} now */
  #sweep(now) {
    // A bucket refills in burst / rate; any older than that is full and can go.
    const refill = this.#burst / this.#perMs;
    if (now - this.#sweptAt < Math.min(refill, 60_000)) return;
    this.#sweptAt = now;
    for (const [key, bucket] of this.#buckets) {
      if (now - bucket.at >= refill) this.#buckets.delete(key);
    }
  }
}
