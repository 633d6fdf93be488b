// Every frame a peer sends on the data channel is decoded here, once: parsed (JSON text, or a
// binary chunk header), validated by the one validator of its type, and handed on by kind.
// Everything from a peer is untrusted: anything malformed comes back as `invalid`, never thrown.
import { isRecord } from '../util/is-record.js';
import {
  decodeChunk,
  isChatFrameType,
  MAX_CHAT_FRAME_LENGTH,
  validateChatFrame,
  type ChatFrame,
  type ChunkFrame,
} from './chat-messages.js';
import { MAX_CONTROL_MESSAGE_LENGTH, validateControl, type PeerMessage } from './messages.js';

/**
 * Why a frame was refused: longer than any frame (`too-large`), of a chat type but malformed
 * (`malformed-chat`), binary but not a picture chunk (`malformed-chunk`), or none of ours at all
 * (`unknown`: not text or binary, not JSON, or not a valid control message).
 */
export type FrameRefusal = 'unknown' | 'too-large' | 'malformed-chat' | 'malformed-chunk';

/** A frame for the chat: a chat text frame, a picture chunk, or one of either kind refused. */
export type ChatBoundFrame =
  | { kind: 'chat'; frame: ChatFrame }
  | { kind: 'chunk'; chunk: ChunkFrame }
  | { kind: 'invalid'; reason: Exclude<FrameRefusal, 'unknown'> };

/** A data-channel frame after decoding, by kind. */
export type DecodedFrame =
  | { kind: 'control'; message: PeerMessage }
  | { kind: 'invalid'; reason: 'unknown' }
  | ChatBoundFrame;

const UNKNOWN = { kind: 'invalid', reason: 'unknown' } as const;

/** Decodes one frame as the data channel delivered it (a string, binary, or anything else). */
export function decodeFrame(raw: unknown): DecodedFrame {
  if (typeof raw === 'string') return decodeText(raw);
  if (raw instanceof Blob) return { kind: 'invalid', reason: 'malformed-chunk' };
  if (!(raw instanceof ArrayBuffer || ArrayBuffer.isView(raw))) return UNKNOWN;
  const chunk = decodeChunk(toArrayBuffer(raw));
  return chunk ? { kind: 'chunk', chunk } : { kind: 'invalid', reason: 'malformed-chunk' };
}

function decodeText(raw: string): DecodedFrame {
  // No frame of any kind is this long.
  if (raw.length > MAX_CHAT_FRAME_LENGTH) return { kind: 'invalid', reason: 'too-large' };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return UNKNOWN;
  }
  if (!isRecord(data)) return UNKNOWN;
  if (isChatFrameType(data.type)) {
    const frame = validateChatFrame(data);
    return frame ? { kind: 'chat', frame } : { kind: 'invalid', reason: 'malformed-chat' };
  }
  const message = raw.length <= MAX_CONTROL_MESSAGE_LENGTH ? validateControl(data) : null;
  return message ? { kind: 'control', message } : UNKNOWN;
}

function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const copy = new Uint8Array(data.byteLength);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return copy.buffer;
}
