import { JANUS_TOKEN_TTL_SECONDS } from './sfu-rooms.js';

// When a room moves to Janus, and what its members are told. A room moves when its `from`-th
// visitor arrives and stays on Janus until it empties: then every member, and every newcomer,
// gets a ticket (a `ROOM` notice `sfu`), renewed before its Janus token expires. When Janus goes
// away its rooms' members are told (`sfu-lost`), and get new tickets once it is back. Moderation
// calls in as visitors come, go and are removed.

/** @typedef {import('../room-states.js').Visitor} Visitor */

/** How soon a room whose Janus went away is tried again, doubling up to the most. */
const RECOVER_MS = { first: 1000, most: 30_000 };

/**
 * @typedef {object} SfuMovesOptions
 * @property {import('./sfu-rooms.js').SfuRooms} sfuRooms
 * @property {import('../room-members.js').RoomMembers} members
 * @property {number} from
 * @property {import('pino').Logger} logger
 * @property {number} [renewMs] how often tickets are handed out again (half the token's life)
 * @property {number} [recoverMs] the first wait before a lost room is tried again
 */

export class SfuMoves {
  #sfuRooms;
  #members;
  #from;
  #logger;
  /** Rooms on Janus now, by our room ID. */
  #moved = new Set();
  #renewal;
  /** @type {Map<string, NodeJS.Timeout>} rooms waiting for their Janus to come back */
  #recovering = new Map();
  #recoverMs;

  /** @param {SfuMovesOptions} options */
  constructor({
    sfuRooms,
    members,
    from,
    logger,
    renewMs = (JANUS_TOKEN_TTL_SECONDS * 1000) / 2,
    recoverMs = RECOVER_MS.first,
  }) {
    this.#sfuRooms = sfuRooms;
    this.#recoverMs = recoverMs;
    sfuRooms.onLost((roomIds) => {
      for (const roomId of roomIds) {
        if (!this.#moved.has(roomId) || this.#recovering.has(roomId)) continue;
        this.#logger.warn({ event: 'sfu', step: 'lost' }, 'Janus went away with a room');
        for (const member of this.#members.of(roomId)) {
          this.#members.tell(member.id, { event: 'sfu-lost' });
        }
        this.#recover(roomId, this.#recoverMs);
      }
    });
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
    if (isEmpty) {
      this.#moved.delete(roomId);
      clearTimeout(this.#recovering.get(roomId));
      this.#recovering.delete(roomId);
    }
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
    for (const timer of this.#recovering.values()) clearTimeout(timer);
    this.#recovering.clear();
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
        return true;
      }
      this.#members.tell(id, { event: 'sfu', ticket });
      return true;
    } catch (error) {
      // The visitor keeps what it has; a renewal or a recovery tries again.
      this.#warn(error, 'admit');
      return false;
    }
  }

  /**
   * Tries a lost room again after `waitMs`: every member gets a ticket once Janus answers.
   * @param {string} roomId
   * @param {number} waitMs
   */
  #recover(roomId, waitMs) {
    const timer = setTimeout(async () => {
      const members = this.#members.of(roomId);
      if (!this.#moved.has(roomId) || members.length === 0) {
        this.#recovering.delete(roomId);
        return;
      }
      const tickets = await Promise.all(members.map((member) => this.#ticket(roomId, member.id)));
      if (tickets.every(Boolean)) this.#recovering.delete(roomId);
      else this.#recover(roomId, Math.min(waitMs * 2, RECOVER_MS.most));
    }, waitMs);
    timer.unref();
    this.#recovering.set(roomId, timer);
  }

  /**
   * @param {unknown} error
   * @param {string} step
   */
  #warn(error, step) {
    this.#logger.warn({ event: 'sfu', step, err: error }, 'a Janus request failed');
  }
}
