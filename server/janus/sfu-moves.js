import { JANUS_TOKEN_TTL_SECONDS } from './sfu-rooms.js';

// When a room moves to Janus, and what its members are told. A room moves when its `from`-th
// visitor arrives and stays on Janus until it empties: then every member, and every newcomer,
// gets a ticket (a `ROOM` notice `sfu`), renewed before its Janus token expires. Moderation calls
// in as visitors come, go and are removed.

/** @typedef {import('../room-states.js').Visitor} Visitor */

/**
 * @typedef {object} SfuMovesOptions
 * @property {import('./sfu-rooms.js').SfuRooms} sfuRooms
 * @property {import('../room-members.js').RoomMembers} members
 * @property {number} from
 * @property {import('pino').Logger} logger
 * @property {number} [renewMs] how often tickets are handed out again (half the token's life)
 */

export class SfuMoves {
  #sfuRooms;
  #members;
  #from;
  #logger;
  /** Rooms on Janus now, by our room ID. */
  #moved = new Set();
  #renewal;

  /** @param {SfuMovesOptions} options */
  constructor({ sfuRooms, members, from, logger, renewMs = (JANUS_TOKEN_TTL_SECONDS * 1000) / 2 }) {
    this.#sfuRooms = sfuRooms;
    this.#members = members;
    this.#from = from;
    this.#logger = logger;
    this.#renewal = setInterval(() => {
      for (const roomId of this.#moved) {
        for (const member of this.#members.of(roomId)) void this.#ticket(roomId, member.id);
      }
    }, renewMs);
    this.#renewal.unref();
  }

  /**
   * A member entered: it gets a ticket if its room is on Janus, or everyone does if it is the
   * visitor that moves the room there.
   * @param {Visitor} member
   */
  entered({ roomId, id }) {
    if (this.#moved.has(roomId)) {
      void this.#ticket(roomId, id);
      return;
    }
    const members = this.#members.of(roomId);
    if (members.length < this.#from) return;
    this.#moved.add(roomId);
    this.#logger.info({ event: 'sfu', visitors: members.length }, 'a room moved to Janus');
    for (const member of members) void this.#ticket(roomId, member.id);
  }

  /**
   * @param {string} roomId
   * @param {string} id
   * @param {boolean} isEmpty nobody is left in the room
   */
  departed(roomId, id, isEmpty) {
    if (!this.#moved.has(roomId)) return;
    if (isEmpty) this.#moved.delete(roomId);
    this.#sfuRooms.depart(roomId, id).catch((error) => this.#warn(error, 'depart'));
  }

  /**
   * @param {string} roomId
   * @param {string} id
   */
  removed(roomId, id) {
    if (!this.#moved.has(roomId)) return;
    this.#sfuRooms.kick(roomId, id).catch((error) => this.#warn(error, 'kick'));
  }

  /** Whether the room is on Janus. */
  has(/** @type {string} */ roomId) {
    return this.#moved.has(roomId);
  }

  close() {
    clearInterval(this.#renewal);
    this.#moved.clear();
    this.#sfuRooms.close();
  }

  /**
   * @param {string} roomId
   * @param {string} id
   */
  async #ticket(roomId, id) {
    try {
      const ticket = await this.#sfuRooms.admit(roomId, id);
      // Gone, or removed, while Janus answered: its room token goes again.
      if (!this.#members.get(id, roomId)) {
        await this.#sfuRooms.depart(roomId, id);
        return;
      }
      this.#members.tell(id, { event: 'sfu', ticket });
    } catch (error) {
      // The room stays a mesh for this visitor; its next renewal tries again.
      this.#warn(error, 'admit');
    }
  }

  /**
   * @param {unknown} error
   * @param {string} step
   */
  #warn(error, step) {
    this.#logger.warn({ event: 'sfu', step, err: error }, 'a Janus request failed');
  }
}
