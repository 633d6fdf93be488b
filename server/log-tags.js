import { createHash } from 'node:crypto';

// A room ID is the key to its room when no join secret is set: logs name rooms and peers by a
// short hash, enough to follow one room through the log without handing out its key.

/**
 * @param {string | null} roomId
 * @returns {string | null}
 */
export function roomTag(roomId) {
  return roomId === null ? null : createHash('sha256').update(roomId).digest('hex').slice(0, 12);
}

/** @param {string} peerId */
export function peerTag(peerId) {
  return createHash('sha256').update(peerId).digest('hex').slice(0, 12);
}
