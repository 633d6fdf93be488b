import { roomOfPeerId } from '../src/room/room-id.js';

/** @typedef {import('peer').IClient} PeerClient */

/**
 * The peers PeerServer has registered, grouped by room. Fed from PeerServer's `connection` and
 * `disconnect` events, which fire in step with its own client list.
 */
export class RoomRegistry {
  /**
   * The clients of each room in the order they joined: one client alone, as most rooms hold one
   * peer at a time, else an array. A room's peers are found through their room, so that no map
   * keyed by peer ID is kept beside PeerServer's own.
   * @type {Map<string, PeerClient | PeerClient[]>}
   */
  #rooms = new Map();
  /** @type {Map<string, PeerClient>} peers with a plain PeerJS ID, outside every room */
  #outside = new Map();
  #peerCount = 0;

  /**
   * Records a registered client (again, when it re-attaches a new socket).
   * @param {PeerClient} client
   */
  add(client) {
    const id = client.getId();
    const roomId = roomOfPeerId(id);
    if (!roomId) {
      if (!this.#outside.has(id)) this.#peerCount++;
      this.#outside.set(id, client);
      return;
    }
    const members = this.#rooms.get(roomId);
    if (members === undefined) {
      this.#rooms.set(roomId, client);
      this.#peerCount++;
    } else if (!Array.isArray(members)) {
      if (members.getId() === id) {
        this.#rooms.set(roomId, client);
      } else {
        this.#rooms.set(roomId, [members, client]);
        this.#peerCount++;
      }
    } else {
      const at = members.findIndex((member) => member.getId() === id);
      if (at === -1) this.#peerCount++;
      members.splice(at === -1 ? members.length : at, 1, client);
    }
  }

  /**
   * Forgets a client, unless its ID has since been taken by another client.
   * @param {PeerClient} client
   */
  remove(client) {
    const id = client.getId();
    const roomId = roomOfPeerId(id);
    if (!roomId) {
      if (this.#outside.get(id) !== client) return;
      this.#outside.delete(id);
      this.#peerCount--;
      return;
    }
    const members = this.#rooms.get(roomId);
    if (members === client) {
      this.#rooms.delete(roomId);
      this.#peerCount--;
      return;
    }
    if (!Array.isArray(members)) return;
    const at = members.indexOf(client);
    if (at === -1) return;
    members.splice(at, 1);
    this.#peerCount--;
    if (members.length === 1) this.#rooms.set(roomId, members[0]);
  }

  /**
   * The registered client with this ID.
   * @param {string} id
   * @returns {PeerClient | undefined}
   */
  clientOf(id) {
    const roomId = roomOfPeerId(id);
    return roomId ? this.clientIn(roomId, id) : this.#outside.get(id);
  }

  /**
   * The registered client with this ID in room `roomId`, for a caller that knows the ID's room.
   * @param {string} roomId
   * @param {string} id
   * @returns {PeerClient | undefined}
   */
  clientIn(roomId, id) {
    const members = this.#rooms.get(roomId);
    if (members === undefined) return undefined;
    if (!Array.isArray(members)) return members.getId() === id ? members : undefined;
    return members.find((member) => member.getId() === id);
  }

  /**
   * @param {string} id
   * @returns {boolean}
   */
  isConnected(id) {
    return this.clientOf(id) !== undefined;
  }

  /**
   * The connected peer IDs of one room, in the order they joined.
   * @param {string} roomId
   * @returns {string[]}
   */
  peersOf(roomId) {
    const members = this.#rooms.get(roomId);
    if (members === undefined) return [];
    return Array.isArray(members) ? members.map((member) => member.getId()) : [members.getId()];
  }

  /**
   * @param {string} roomId
   * @returns {number}
   */
  sizeOf(roomId) {
    const members = this.#rooms.get(roomId);
    if (members === undefined) return 0;
    return Array.isArray(members) ? members.length : 1;
  }

  /** Connected peers, in rooms or not. */
  get peerCount() {
    return this.#peerCount;
  }

  /** Rooms with at least one connected peer. */
  get roomCount() {
    return this.#rooms.size;
  }
}
