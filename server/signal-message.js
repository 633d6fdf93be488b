import { PEER_ID_PATTERN } from '../src/room/room-id.js';

/** Client messages PeerServer relays to another peer. */
const RELAYED_TYPES = new Set(['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE']);

/**
 * A client message worth acting on: a heartbeat (`probe` when the client asks for one back, to
 * learn whether its socket still reaches us), signalling for one peer (its `payload` as sent,
 * absent when the frame had none), or a command about the room for the server itself (`ROOM`,
 * read by `parseRoomCommand`).
 * @typedef {{ type: 'HEARTBEAT', probe?: true } | { type: 'ROOM', payload: unknown } | { type: 'OFFER' | 'ANSWER' | 'CANDIDATE' | 'LEAVE', dst: string, payload?: unknown }} SignalMessage
 */

/**
 * Reads a WebSocket frame from a PeerJS client; null for anything malformed. LEAVE without a
 * `dst` counts as malformed: PeerServer would de-register the sender but keep its socket.
 * @param {import('ws').RawData} data
 * @param {boolean} isBinary
 * @returns {SignalMessage | null}
 */
export function parseSignalMessage(data, isBinary) {
  if (isBinary) return null;
  /** @type {unknown} */
  let value;
  try {
    value = JSON.parse(data.toString());
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { type, dst, payload, probe } =
    /** @type {{ type?: unknown, dst?: unknown, payload?: unknown, probe?: unknown }} */ (value);
  if (type === 'HEARTBEAT') return probe === true ? { type, probe } : { type };
  if (type === 'ROOM') return { type, payload };
  if (typeof type !== 'string' || !RELAYED_TYPES.has(type)) return null;
  if (typeof dst !== 'string' || !PEER_ID_PATTERN.test(dst)) return null;
  const relayed = /** @type {'OFFER' | 'ANSWER' | 'CANDIDATE' | 'LEAVE'} */ (type);
  return payload === undefined ? { type: relayed, dst } : { type: relayed, dst, payload };
}
