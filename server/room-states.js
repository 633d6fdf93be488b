import { TokenBucket } from '../src/limits/token-bucket.js';

/** How long the server remembers an empty room (its lock and removals): a room's life. */
export const ROOM_MEMORY_MS = 6 * 60 * 60_000;

/** Reactions and hands per visitor: one a second, three at once. */
export const GESTURE_RATE = { perSecond: 1, burst: 3 };

/**
 * A visitor as the server admits it: who it is to the room and what it may do there.
 * @typedef {object} Visitor
 * @property {string} id its peer ID
 * @property {string} roomId
 * @property {string} secret its client secret
 * @property {string} address its client address
 * @property {'host' | 'guest'} role
 * @property {string} name the name its join token vouches for, or empty
 * @property {boolean} verified
 * @property {string | null} subject its join token's identity (`sub`, else the token), if any
 * @property {boolean} startsLocked the room is locked if this visitor is the first to find it
 */

/**
 * A visitor in the room (registered), with its default name's number, its hand and its rate.
 * @typedef {Visitor & { guest: number, handRaised: boolean, gestures: TokenBucket }} Member
 */

/** What the server keeps of one room: lock, members, who was removed and who was let in. */
export class RoomState {
  locked = false;
  /** @type {Map<string, Member>} by peer ID */
  members = new Map();
  /** Client secrets and token identities removed: refused for the room's life. */
  removedSecrets = new Set();
  /** @type {Set<string>} */
  removedSubjects = new Set();
  /** Client secrets that were in or let in: they come back (a reload, a drop) without knocking. */
  admittedSecrets = new Set();
  /** @type {Map<string, number>} each secret's default-name number, the same after a reload */
  #guestNumbers = new Map();
  #nextGuest = 1;
  /** @type {NodeJS.Timeout | undefined} */
  forgetTimer;

  /**
   * The number of a visitor's default name ("Guest 2"): distinct in the room, kept by secret.
   * @param {string} secret
   */
  guestNumberOf(secret) {
    let number = this.#guestNumbers.get(secret);
    if (number === undefined) this.#guestNumbers.set(secret, (number = this.#nextGuest++));
    return number;
  }

  /** @param {Visitor} visitor */
  isRemoved({ secret, subject }) {
    return (
      this.removedSecrets.has(secret) || (subject !== null && this.removedSubjects.has(subject))
    );
  }

  /**
   * Makes (or refreshes, on a re-attach) the member for a registered visitor.
   * @param {Visitor} visitor
   * @returns {Member}
   */
  enter(visitor) {
    const known = this.members.get(visitor.id);
    const member = {
      ...visitor,
      guest: this.guestNumberOf(visitor.secret),
      handRaised: known?.handRaised ?? false,
      gestures: known?.gestures ?? new TokenBucket(GESTURE_RATE),
    };
    this.members.set(visitor.id, member);
    this.admittedSecrets.add(visitor.secret);
    return member;
  }

  /** Hosts present now. */
  hosts() {
    return [...this.members.values()].filter((member) => member.role === 'host');
  }
}

/**
 * The state of every room that has one, made when its first visitor arrives and forgotten
 * `memoryMs` after it empties (nobody in it, nobody at its door).
 */
export class RoomStates {
  /** @type {Map<string, RoomState>} */
  #states = new Map();
  #memoryMs;

  /** @param {{ memoryMs?: number }} [options] */
  constructor({ memoryMs = ROOM_MEMORY_MS } = {}) {
    this.#memoryMs = memoryMs;
  }

  /**
   * @param {string} roomId
   * @returns {RoomState | undefined}
   */
  get(roomId) {
    return this.#states.get(roomId);
  }

  /**
   * The room's state, made now (locked if `locked`) when it has none.
   * @param {string} roomId
   * @param {boolean} locked
   * @returns {RoomState}
   */
  open(roomId, locked) {
    let state = this.#states.get(roomId);
    if (!state) {
      state = new RoomState();
      state.locked = locked;
      this.#states.set(roomId, state);
    }
    clearTimeout(state.forgetTimer);
    state.forgetTimer = undefined;
    return state;
  }

  /**
   * Someone left the room or its door: forget it a while after it is empty.
   * @param {string} roomId
   * @param {boolean} isEmpty
   */
  settle(roomId, isEmpty) {
    const state = this.#states.get(roomId);
    if (!state || !isEmpty || state.forgetTimer) return;
    state.forgetTimer = setTimeout(() => this.#states.delete(roomId), this.#memoryMs);
    state.forgetTimer.unref();
  }

  close() {
    for (const state of this.#states.values()) clearTimeout(state.forgetTimer);
    this.#states.clear();
  }
}
