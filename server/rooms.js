import { roomOfPeerId } from '../src/room/room-id.js';

/** @typedef {import('peer').IClient} PeerClient */

/**
 * The peers PeerServer has registered, grouped by room. Fed from PeerServer's `connection` and
 * `disconnect` events, which fire in step with its own client list.
 */
export class RoomRegistry {
  /** @type {Map<string, PeerClient>} */
  #clients = new Map();
  /**
   * The peer IDs of each room in the order they joined: one ID alone, as most rooms hold one
   * peer at a time, else an array (a fraction of a Set's size).
   * @type {Map<string, string | string[]>}
   */
  #rooms = new Map();

  /**
   * Records a registered client (again, when it re-attaches a new socket).
   * @param {PeerClient} client
   */
  add(client) {
    const id = client.getId();
    this.#clients.set(id, client);
    const roomId = roomOfPeerId(id);
    if (!roomId) return;
    const members = this.#rooms.get(roomId);
    if (members === undefined) this.#rooms.set(roomId, id);
    else if (typeof members === 'string') {
      if (members !== id) this.#rooms.set(roomId, [members, id]);
    } else if (!members.includes(id)) members.push(id);
  }

  /**
   * Forgets a client, unless its ID has since been taken by another client.
   * @param {PeerClient} client
   */
  remove(client) {
    const id = client.getId();
    if (this.#clients.get(id) !== client) return;
    this.#clients.delete(id);
    const roomId = roomOfPeerId(id);
    const members = roomId ? this.#rooms.get(roomId) : undefined;
    if (!roomId || members === undefined) return;
    if (typeof members === 'string') {
      if (members === id) this.#rooms.delete(roomId);
      return;
    }
    const at = members.indexOf(id);
    if (at !== -1) members.splice(at, 1);
    if (members.length === 0) this.#rooms.delete(roomId);
  }

  /**
   * The registered client with this ID.
   * @param {string} id
   * @returns {PeerClient | undefined}
   */
  clientOf(id) {
    return this.#clients.get(id);
  }

  /**
   * @param {string} id
   * @returns {boolean}
   */
  isConnected(id) {
    return this.#clients.has(id);
  }

  /**
   * The connected peer IDs of one room, in the order they joined.
   * @param {string} roomId
   * @returns {string[]}
   */
  peersOf(roomId) {
    const members = this.#rooms.get(roomId);
    if (members === undefined) return [];
    return typeof members === 'string' ? [members] : [...members];
  }

  /**
   * @param {string} roomId
   * @returns {number}
   */
  sizeOf(roomId) {
    const members = this.#rooms.get(roomId);
    if (members === undefined) return 0;
    return typeof members === 'string' ? 1 : members.length;
  }

  /** Connected peers, in rooms or not. */
  get peerCount() {
    return this.#clients.size;
  }

  /** Rooms with at least one connected peer. */
  get roomCount() {
    return this.#rooms.size;
  }
}
