/** The data-channel protocol version this build speaks; messages of another version are dropped. */
export const PROTOCOL_VERSION = 1;

/** Longest display name a peer may announce, in characters; longer names are cut, not refused. */
export const MAX_NAME_LENGTH = 64;

/** Largest control message accepted, in UTF-16 code units of its JSON text. */
export const MAX_CONTROL_MESSAGE_LENGTH = 4096;

/** Sent first on every data channel, and again whenever the sender's name or media change. */
export interface HelloMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'hello';
  name: string;
  audio: boolean;
  video: boolean;
}

/** Sent when a participant leaves on purpose, so the others drop its tile at once. */
export interface ByeMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'bye';
}

/**
 * Sent every `heartbeatMs` on every data channel: a peer that hears nothing at all (no heartbeat,
 * no other frame) for `silenceMs` shows the sender as reconnecting.
 */
export interface HeartbeatMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'heartbeat';
}

/**
 * Sent to every peer when the sender got back to the signalling server after losing it: a peer
 * still waiting to retry tries at once (the server is likely back for it too).
 */
export interface SignallingBackMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'signalling-back';
}

export type PeerMessage = HelloMessage | ByeMessage | HeartbeatMessage | SignallingBackMessage;

/** Serialises a message for the data channel. */
export function encodeMessage(message: PeerMessage): string {
  return JSON.stringify(message);
}

/** Removes control characters and trims, so a name cannot fake line breaks or direction marks. */
export function cleanName(value: string): string {
  // Capped by code points, so an emoji is never cut in half.
  return [...value.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()].slice(0, MAX_NAME_LENGTH).join('');
}

/**
 * Validates a control message a peer sent, already parsed from its JSON text: anything that is
 * not a well-formed message of this version comes back as `null`.
 */
export function validateControl(data: Record<string, unknown>): PeerMessage | null {
  if (data.v !== PROTOCOL_VERSION) return null;
  switch (data.type) {
    case 'hello': {
      const { name, audio, video } = data;
      if (typeof name !== 'string' || typeof audio !== 'boolean' || typeof video !== 'boolean') {
        return null;
      }
      return { v: PROTOCOL_VERSION, type: 'hello', name: cleanName(name), audio, video };
    }
    case 'bye':
      return { v: PROTOCOL_VERSION, type: 'bye' };
    case 'heartbeat':
      return { v: PROTOCOL_VERSION, type: 'heartbeat' };
    case 'signalling-back':
      return { v: PROTOCOL_VERSION, type: 'signalling-back' };
    default:
      return null;
  }
}
