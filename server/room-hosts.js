import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a created room is remembered after anyone last used its host key or joined it. */
export const CREATED_ROOM_TTL_MS = 24 * 60 * 60_000;

/** Created rooms kept at once: past it, creating answers 503 until some expire. */
export const MAX_CREATED_ROOMS = 100_000;

/** @param {string} key */
const digest = (key) => createHash('sha256').update(key).digest();

/**
 * Rooms made with `POST /api/rooms`, each with the digest of its host key: whoever presents the
 * key when registering is a host there. A room ID never made here stays an open room.
 */
export class RoomHosts {
  /** @type {Map<string, { keyDigest: Buffer, locked: boolean, usedAt: number }>} */
  #rooms = new Map();
  #ttlMs;
  #now;

  /** @param {{ ttlMs?: number, now?: () => number }} [options] */
  constructor({ ttlMs = CREATED_ROOM_TTL_MS, now = Date.now } = {}) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /**
   * Makes a room and its host key; null when too many rooms are kept.
   * @param {{ locked: boolean }} options the room starts locked
   * @returns {{ roomId: string, hostKey: string } | null}
   */
  create({ locked }) {
    if (this.#rooms.size >= MAX_CREATED_ROOMS) this.#sweep();
    if (this.#rooms.size >= MAX_CREATED_ROOMS) return null;
    const roomId = crypto.randomUUID();
    const hostKey = randomBytes(24).toString('base64url');
    this.#rooms.set(roomId, { keyDigest: digest(hostKey), locked, usedAt: this.#now() });
    return { roomId, hostKey };
  }

  /**
   * Whether `hostKey` is the host key of `roomId` (compared in constant time).
   * @param {string} roomId
   * @param {string | null} hostKey
   */
  isHostKey(roomId, hostKey) {
    const room = this.#live(roomId);
    if (!room || !hostKey) return false;
    return timingSafeEqual(room.keyDigest, digest(hostKey));
  }

  /**
   * Whether the room was created locked; false for a room never created here.
   * @param {string} roomId
   */
  startsLocked(roomId) {
    return this.#live(roomId)?.locked ?? false;
  }

  /**
   * Someone joined the room: it is remembered for another lifetime.
   * @param {string} roomId
   */
  touch(roomId) {
    const room = this.#live(roomId);
    if (room) room.usedAt = this.#now();
  }

  /** @param {string} roomId */
  #live(roomId) {
    const room = this.#rooms.get(roomId);
    if (room && this.#now() - room.usedAt > this.#ttlMs) {
      this.#rooms.delete(roomId);
      return undefined;
    }
    return room;
  }

  #sweep() {
    const now = this.#now();
    for (const [roomId, room] of this.#rooms) {
      if (now - room.usedAt > this.#ttlMs) this.#rooms.delete(roomId);
    }
  }
}
