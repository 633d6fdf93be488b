// Plain JavaScript with JSDoc types so that the server (Node, no build step) and the
// element share one definition of what a room ID and a room peer ID are.

/** A room ID: 8 to 64 letters, digits and single hyphens, e.g. a `crypto.randomUUID()`. */
export const ROOM_ID_PATTERN = /^(?=.{8,64}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;

/** Separates the room ID from the random part in a peer ID (`<roomId>_<suffix>`). */
export const PEER_ID_SEPARATOR = '_';

/** Any ID PeerServer and PeerJS accept (PeerJS's own rule). */
export const PEER_ID_PATTERN = /^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$/;

/**
 * Whether `value` is a well-formed room ID.
 * @param {unknown} value
 * @returns {value is string}
 */
export function isRoomId(value) {
  return typeof value === 'string' && ROOM_ID_PATTERN.test(value);
}

/**
 * The room a peer ID belongs to, or `null` for a plain PeerJS ID outside every room.
 * @param {string} peerId
 * @returns {string | null}
 */
export function roomOfPeerId(peerId) {
  const at = peerId.lastIndexOf(PEER_ID_SEPARATOR);
  if (at <= 0) return null;
  const roomId = peerId.slice(0, at);
  return isRoomId(roomId) ? roomId : null;
}

/**
 * A fresh peer ID inside `roomId`; the suffix is 16 random hex characters.
 * @param {string} roomId
 * @returns {string}
 */
export function makePeerId(roomId) {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const suffix = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${roomId}${PEER_ID_SEPARATOR}${suffix}`;
}
