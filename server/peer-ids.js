/** How long a peer ID stays reserved for its owner after its socket went away. */
export const RECLAIM_GRACE_MS = 60_000;

/**
 * Who owns each peer ID: the client secret it was first registered with. While the owner is
 * connected, and for a grace period after, nobody else may register that ID.
 */
export class PeerIdOwners {
  /** @type {Map<string, string>} the secret of each ID's owner */
  #owners = new Map();
  /** @type {Map<string, NodeJS.Timeout>} IDs whose owner is away, until their grace period ends */
  #releases = new Map();
  #graceMs;

  /** @param {{ graceMs?: number }} [options] */
  constructor({ graceMs = RECLAIM_GRACE_MS } = {}) {
    this.#graceMs = graceMs;
  }

  /**
   * Whether `secret` may register `id`: nobody owns it, or `secret` does.
   * @param {string} id
   * @param {string} secret
   */
  mayRegister(id, secret) {
    const owner = this.#owners.get(id);
    return owner === undefined || owner === secret;
  }

  /**
   * Whether `secret` owns `id`.
   * @param {string} id
   * @param {string} secret
   */
  isOwner(id, secret) {
    return this.#owners.get(id) === secret;
  }

  /**
   * Records (or confirms) that `secret` holds `id` and is connected.
   * @param {string} id
   * @param {string} secret
   */
  bind(id, secret) {
    clearTimeout(this.#releases.get(id));
    this.#releases.delete(id);
    this.#owners.set(id, secret);
  }

  /**
   * The owner's socket went away: keep the ID for it during the grace period.
   * @param {string} id
   */
  release(id) {
    if (!this.#owners.has(id) || this.#releases.has(id)) return;
    const timer = setTimeout(() => {
      this.#owners.delete(id);
      this.#releases.delete(id);
    }, this.#graceMs);
    timer.unref();
    this.#releases.set(id, timer);
  }

  /** IDs reserved for an owner that is away. */
  get reservedCount() {
    return this.#releases.size;
  }

  close() {
    for (const timer of this.#releases.values()) clearTimeout(timer);
    this.#releases.clear();
    this.#owners.clear();
  }
}
