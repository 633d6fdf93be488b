import { TokenBucket } from '../src/limits/token-bucket.js';
import { roomOfPeerId } from '../src/room/room-id.js';

/** How long the server remembers an empty room (its lock and removals): a room's life. */
export const ROOM_MEMORY_MS = 6 * 60 * 60_000;

/** Reactions and hands per visitor: one a second, three at once. */
export const GESTURE_RATE = { perSecond: 1, burst: 3 };

/**
 * A visitor as the server admits it: who it is to the room and what it may do there, then, once
 * registered, a member of the room with its default name's number and its hand. One object per
 * socket, of one shape: the server holds thousands, mostly idle.
 */
export class Visitor {
  /** The number of its default name ("Guest 2"), distinct in the room; 0 until it enters. */
  guest = 0;
  handRaised = false;
  /** A host removed it: it is no member any more, though its socket may not have closed yet. */
  isRemoved = false;
  /** @type {TokenBucket | null} its reactions and hands, made at its first */
  #gestures = null;

  /**
   * @param {object} fields
   * @param {string} fields.id its peer ID, in a room
   * @param {string} fields.secret its client secret
   * @param {'host' | 'guest'} fields.role
   * @param {string} fields.name the name its join token vouches for, or empty
   * @param {string | null} fields.subject its join token's identity (`sub`, else the token)
   * @param {boolean} fields.startsLocked the room is locked if this visitor is the first to find it
   */
  constructor({ id, secret, role, name, subject, startsLocked }) {
    this.id = id;
    this.secret = secret;
    this.role = role;
    this.name = name;
    this.subject = subject;
    this.startsLocked = startsLocked;
  }

  /** Read from its ID when asked rather than kept: one string fewer per socket. */
  get roomId() {
    return /** @type {string} */ (roomOfPeerId(this.id));
  }

  /** The name came from a join token the server checked. */
  get verified() {
    return this.name !== '';
  }

  /**
   * Takes PeerServer's own copies of its ID and secret (the secret is the whole token when the
   * token carries nothing else), so that a socket's strings are kept once, not twice.
   * @param {import('peer').IClient} client
   */
  shareStrings(client) {
    this.id = client.getId();
    const token = client.getToken();
    if (token === this.secret) this.secret = token;
  }

  /**
   * Keeps what the visitor had on the socket it replaces (a re-attach): its hand and its rate.
   * @param {Visitor} before
   */
  carryOver(before) {
    this.handRaised = before.handRaised;
    this.#gestures = before.#gestures;
  }

  /** Takes one reaction or hand from its rate: false when it goes too fast. */
  takeGesture() {
    this.#gestures ??= new TokenBucket(GESTURE_RATE);
    return this.#gestures.take() === 'granted';
  }
}

/**
 * What the server keeps of one room: its lock, the default-name numbers of the secrets it has
 * seen, who was removed and who may pass its door. Most rooms are one or two visitors who never
 * lock or remove anyone, so each table is made when it is first needed: an empty one costs more
 * than the room's other fields together.
 */
export class RoomState {
  locked = false;
  /** The first secret seen: number 1, kept without a table. */
  #firstSecret = '';
  /** @type {Map<string, number> | null} the numbers of every later secret, kept after a reload */
  #guestNumbers = null;
  #nextGuest = 2;
  /** @type {Set<string> | null} client secrets removed: refused for the room's life */
  #removedSecrets = null;
  /** @type {Set<string> | null} join-token identities removed */
  #removedSubjects = null;
  /** @type {Set<string> | null} secrets let in while locked: back without knocking after a drop */
  #admittedSecrets = null;
  /** @type {NodeJS.Timeout | undefined} */
  forgetTimer;

  /**
   * The number of a visitor's default name ("Guest 2"): distinct in the room, kept by secret.
   * @param {string} secret
   */
  guestNumberOf(secret) {
    if (this.#firstSecret === '' || this.#firstSecret === secret) {
      this.#firstSecret = secret;
      return 1;
    }
    this.#guestNumbers ??= new Map();
    let number = this.#guestNumbers.get(secret);
    if (number === undefined) this.#guestNumbers.set(secret, (number = this.#nextGuest++));
    return number;
  }

  /** @param {Pick<Visitor, 'secret' | 'subject'>} visitor */
  isRemoved({ secret, subject }) {
    return (
      (this.#removedSecrets?.has(secret) ?? false) ||
      (subject !== null && this.isRemovedSubject(subject))
    );
  }

  /** @param {string} subject */
  isRemovedSubject(subject) {
    return this.#removedSubjects?.has(subject) ?? false;
  }

  /**
   * Refuses a visitor from now on, by secret (a reload, a reconnect) and by token identity.
   * @param {Visitor} visitor
   */
  remove(visitor) {
    visitor.isRemoved = true;
    (this.#removedSecrets ??= new Set()).add(visitor.secret);
    if (visitor.subject !== null) (this.#removedSubjects ??= new Set()).add(visitor.subject);
    this.#admittedSecrets?.delete(visitor.secret);
  }

  /**
   * Lets a secret pass the door while the room is locked (it was let in, or was in at the lock).
   * @param {string} secret
   */
  admit(secret) {
    (this.#admittedSecrets ??= new Set()).add(secret);
  }

  /** @param {string} secret */
  isAdmitted(secret) {
    return this.#admittedSecrets?.has(secret) ?? false;
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
