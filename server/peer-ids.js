/** How long a peer ID stays reserved for its owner after its socket went away. */
export const RECLAIM_GRACE_MS = 60_000;

/**
 * Who owns each peer ID: the client secret it was first registered with. While the owner is
 * connected, and for a grace period after, nobody else may register that ID.
 */
export class PeerIdOwners {
  /** @type {Map<string, { secret: string, timer: NodeJS.Timeout | null }>} */
  #owners = new Map();
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
    return !owner || owner.secret === secret;
  }

  /**
   * Whether `secret` owns `id`.
   * @param {string} id
   * @param {string} secret
   */
  isOwner(id, secret) {
    return this.#owners.get(id)?.secret === secret;
  }

  /**
   * Records (or confirms) that `secret` holds `id` and is connected.
   * @param {string} id
   * @param {string} secret
   */
  bind(id, secret) {
    const owner = this.#owners.get(id);
    if (owner?.timer) clearTimeout(owner.timer);
    this.#owners.set(id, { secret, timer: null });
  }

  /**
   * The owner's socket went away: keep the ID for it during the grace period.
   * @param {string} id
   */
  release(id) {
    const owner = this.#owners.get(id);
    if (!owner || owner.timer) return;
    owner.timer = setTimeout(() => this.#owners.delete(id), this.#graceMs);
    owner.timer.unref();
  }

  /** IDs reserved for an owner that is away. */
  get reservedCount() {
    let count = 0;
    for (const owner of this.#owners.values()) if (owner.timer) count++;
    return count;
  }

  close() {
    for (const owner of this.#owners.values()) if (owner.timer) clearTimeout(owner.timer);
    this.#owners.clear();
  }
}
