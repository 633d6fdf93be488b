import { splitPeerToken } from './join-tokens.js';

/** How long a peer ID stays reserved for its owner after its socket went away. */
export const RECLAIM_GRACE_MS = 60_000;

/**
 * Who owns each peer ID: the client secret it was registered with. While the owner is connected,
 * and for a grace period after, nobody else may register that ID. A connected owner's secret is
 * read from the client PeerServer holds; only owners that are away are kept here.
 */
export class PeerIdOwners {
  #rooms;
  /** @type {Map<string, { secret: string, timer: NodeJS.Timeout }>} IDs whose owner is away */
  #reserved = new Map();
  #graceMs;

  /**
   * @param {object} options
   * @param {import('./rooms.js').RoomRegistry} options.rooms the registered peers
   * @param {number} [options.graceMs]
   */
  constructor({ rooms, graceMs = RECLAIM_GRACE_MS }) {
    this.#rooms = rooms;
    this.#graceMs = graceMs;
  }

  /**
   * Whether `secret` may register `id`: nobody owns it, or `secret` does.
   * @param {string} id
   * @param {string} secret
   */
  mayRegister(id, secret) {
    const holder = this.#rooms.clientOf(id);
    const owner = holder
      ? splitPeerToken(holder.getToken()).secret
      : this.#reserved.get(id)?.secret;
    return owner === undefined || owner === secret;
  }

  /**
   * The owner of `id` is connected again (or for the first time): its reservation ends.
   * @param {string} id
   */
  bind(id) {
    const reservation = this.#reserved.get(id);
    if (!reservation) return;
    clearTimeout(reservation.timer);
    this.#reserved.delete(id);
  }

  /**
   * The owner's socket went away: keep the ID for its secret during the grace period.
   * @param {import('peer').IClient} client the client PeerServer let go
   */
  release(client) {
    const id = client.getId();
    if (this.#reserved.has(id)) return;
    const timer = setTimeout(() => this.#reserved.delete(id), this.#graceMs);
    timer.unref();
    this.#reserved.set(id, { secret: splitPeerToken(client.getToken()).secret, timer });
  }

  /** IDs reserved for an owner that is away. */
  get reservedCount() {
    return this.#reserved.size;
  }

  close() {
    for (const { timer } of this.#reserved.values()) clearTimeout(timer);
    this.#reserved.clear();
  }
}
