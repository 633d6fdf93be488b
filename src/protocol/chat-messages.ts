// Chat on the data channel: JSON text frames (`v: 1`, like the control messages) for messages and
// history, and a small binary frame for picture chunks. Everything here is pure: it encodes what we
// send and validates what a peer sent, returning null for anything malformed, never throwing.
import { PEER_ID_PATTERN } from '../room/room-id.js';
import { isRecord } from '../util/is-record.js';
import { PROTOCOL_VERSION, cleanName } from './messages.js';

/** Longest chat text, in UTF-16 code units after cleaning; longer is refused, never cut. */
export const MAX_TEXT_LENGTH = 4000;

/** Largest picture the protocol carries (a room may set a lower limit, never a higher one). */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;

/**
 * Largest chat text frame, in UTF-16 code units. Senders keep frames under 48 KiB of UTF-8, below
 * the 64 KiB every browser's data channel accepts (RFC 8841's default `max-message-size`).
 */
export const MAX_CHAT_FRAME_LENGTH = 64 * 1024;

/** Most items one history frame may carry. */
export const MAX_HISTORY_BATCH_ITEMS = 100;

/** Most message IDs one `sync` or `want` frame may carry (500 IDs of 64 characters fit 48 KiB). */
export const MAX_SYNC_IDS = 500;

/** A binary chunk frame, header included, is at most this many bytes (RFC 8841's default). */
export const CHUNK_FRAME_BYTES = 64 * 1024;

/** Bytes of the chunk header: magic `rc`, version, kind, transfer ID, chunk index. */
export const CHUNK_HEADER_BYTES = 12;

/** Picture bytes in every chunk but the last. */
export const CHUNK_PAYLOAD_BYTES = CHUNK_FRAME_BYTES - CHUNK_HEADER_BYTES;

/** The picture formats rooms exchange, named by what their bytes are, not by a file name. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export type ImageType = (typeof IMAGE_TYPES)[number];

/** The text frame types chat owns; every other text frame is a control message or nothing. */
export const CHAT_FRAME_TYPES = [
  'chat',
  'picture',
  'digest',
  'sync',
  'want',
  'history',
  'file',
] as const;

export type ChatFrameType = (typeof CHAT_FRAME_TYPES)[number];

/** A text message. The sender is the link it came on; the frame never names it. */
export interface ChatTextFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'chat';
  /** Chosen by the author, unique in the room (a UUID). */
  id: string;
  /** The author's Lamport clock when it wrote the message. */
  clock: number;
  text: string;
}

/**
 * Announces the chunks of `transfer` that follow: a new picture message, or the bytes of a
 * picture the same peer listed in a history frame (then `id` names that item).
 */
export interface ChatPictureFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'picture';
  id: string;
  clock: number;
  /** The sender's number for this transfer on this link (the chunks carry it). */
  transfer: number;
  mime: ImageType;
  /** Exact byte count the chunks add up to. */
  size: number;
}

/**
 * A fingerprint of the messages a peer holds (its newest `historyMessages`), sent now and then
 * on every link: when two differ, the peers exchange `sync` summaries.
 */
export interface ChatDigestFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'digest';
  count: number;
  /** An order-free 32-bit hash of the message IDs (see `digestOf`). */
  hash: number;
}

/**
 * The IDs of the messages a peer holds, sent when a link opens and when digests differ; the
 * other side asks (`want`) for what it lacks. Long summaries come in parts, the last `done`.
 */
export interface ChatSyncFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'sync';
  ids: string[];
  done: boolean;
}

/** Asks the peer for messages its summary listed; answered with `history` frames. */
export interface ChatWantFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'want';
  ids: string[];
  done: boolean;
}

/** One past message as a peer relays it: the original author and name, which we cannot verify. */
export interface HistoryItem {
  id: string;
  clock: number;
  /** The original author's peer ID. */
  from: string;
  /** The author's name when it was written. */
  name: string;
  /** When it was sent, in ms since the epoch, by the relaying peer's clock. */
  at: number;
  text?: string;
  /** For a picture: its type, size, and whether its bytes follow as a transfer. */
  picture?: { mime: ImageType; size: number; follows: boolean };
  /** For a file: its offer's fields, validated by the transfers chunk (`validateFileOffer`). */
  file?: Record<string, unknown>;
}

/** Part of an answer to `want`; the last part has `done: true`. */
export interface ChatHistoryFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'history';
  items: HistoryItem[];
  done: boolean;
}

/**
 * A file frame (an offer, a request or a stop, by its `op`) as it came: files are handled, and
 * their frames validated field by field, in the transfers chunk (file-messages.ts), on demand.
 */
export interface ChatFileFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'file';
  data: Record<string, unknown>;
}

export type ChatFrame =
  | ChatTextFrame
  | ChatFileFrame
  | ChatPictureFrame
  | ChatDigestFrame
  | ChatSyncFrame
  | ChatWantFrame
  | ChatHistoryFrame;

/**
 * One binary chunk of a transfer: a picture's (numbered by its sender, below 2³¹) or a file's
 * (numbered by its receiver in a `get`, from 2³¹: see `FILE_TRANSFER_BASE` in file-messages.ts).
 */
export interface ChunkFrame {
  transfer: number;
  index: number;
  /** A view into the received buffer (no copy). */
  payload: Uint8Array<ArrayBuffer>;
}

const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_PEER_ID_LENGTH = 128;
const MAX_UINT32 = 0xffff_ffff;
const CHUNK_MAGIC = [0x72, 0x63] as const; // "rc"
const CHUNK_VERSION = 1;
const CHUNK_KIND_PICTURE = 1;

/**
 * Normalises chat text: CRLF to LF, and removes control characters other than line feed and tab
 * (format characters such as the zero-width joiner stay: emoji sequences need them).
 */
export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\n\t]/gu, '');
}

/** Serialises a chat text frame for the data channel. */
export function encodeChatFrame(frame: ChatFrame): string {
  return JSON.stringify(frame);
}

/** Builds a binary chunk frame (a fresh buffer: the header, then a copy of `payload`). */
export function encodeChunk(transfer: number, index: number, payload: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(CHUNK_HEADER_BYTES + payload.byteLength);
  const view = new DataView(buffer);
  view.setUint8(0, CHUNK_MAGIC[0]);
  view.setUint8(1, CHUNK_MAGIC[1]);
  view.setUint8(2, CHUNK_VERSION);
  view.setUint8(3, CHUNK_KIND_PICTURE);
  view.setUint32(4, transfer);
  view.setUint32(8, index);
  new Uint8Array(buffer, CHUNK_HEADER_BYTES).set(payload);
  return buffer;
}

/** Reads a binary chunk frame; null for anything that is not one of ours. */
export function decodeChunk(buffer: ArrayBuffer): ChunkFrame | null {
  if (!(buffer instanceof ArrayBuffer)) return null;
  if (buffer.byteLength <= CHUNK_HEADER_BYTES || buffer.byteLength > CHUNK_FRAME_BYTES) return null;
  const view = new DataView(buffer);
  if (
    view.getUint8(0) !== CHUNK_MAGIC[0] ||
    view.getUint8(1) !== CHUNK_MAGIC[1] ||
    view.getUint8(2) !== CHUNK_VERSION ||
    view.getUint8(3) !== CHUNK_KIND_PICTURE
  ) {
    return null;
  }
  return {
    transfer: view.getUint32(4),
    index: view.getUint32(8),
    payload: new Uint8Array(buffer, CHUNK_HEADER_BYTES),
  };
}

/**
 * Validates a chat text frame from a peer, already parsed from its JSON text. Anything that is
 * not a well-formed chat frame of this version, with values inside the protocol's limits, comes
 * back as null.
 */
export function validateChatFrame(data: Record<string, unknown>): ChatFrame | null {
  if (data.v !== PROTOCOL_VERSION) return null;
  switch (data.type) {
    case 'chat': {
      const { id, clock, text } = data;
      if (!isMessageId(id) || !isClock(clock)) return null;
      const clean = decodeText(text);
      if (clean === null) return null;
      return { v: PROTOCOL_VERSION, type: 'chat', id, clock, text: clean };
    }
    case 'picture': {
      const { id, clock, transfer, mime, size } = data;
      if (!isMessageId(id) || !isClock(clock) || !isUint32(transfer)) return null;
      if (!isImageType(mime) || !isImageSize(size)) return null;
      return { v: PROTOCOL_VERSION, type: 'picture', id, clock, transfer, mime, size };
    }
    case 'file':
      return { v: PROTOCOL_VERSION, type: 'file', data };
    case 'digest': {
      const { count, hash } = data;
      if (!Number.isSafeInteger(count) || (count as number) < 0 || !isUint32(hash)) return null;
      return { v: PROTOCOL_VERSION, type: 'digest', count: count as number, hash };
    }
    case 'sync':
    case 'want': {
      const { ids, done } = data;
      if (!Array.isArray(ids) || ids.length > MAX_SYNC_IDS || typeof done !== 'boolean') {
        return null;
      }
      if (!ids.every(isMessageId)) return null;
      const copy = [...ids] as string[];
      return data.type === 'sync'
        ? { v: PROTOCOL_VERSION, type: 'sync', ids: copy, done }
        : { v: PROTOCOL_VERSION, type: 'want', ids: copy, done };
    }
    case 'history': {
      const { items, done } = data;
      if (!Array.isArray(items) || items.length > MAX_HISTORY_BATCH_ITEMS) return null;
      if (typeof done !== 'boolean') return null;
      const decoded: HistoryItem[] = [];
      for (const item of items) {
        const valid = decodeHistoryItem(item);
        if (!valid) return null;
        decoded.push(valid);
      }
      return { v: PROTOCOL_VERSION, type: 'history', items: decoded, done };
    }
    default:
      return null;
  }
}

/**
 * An order-free 32-bit hash of message IDs: the XOR of each ID's FNV-1a hash, so it is updated
 * one message at a time and two peers holding the same IDs agree whatever order they came in.
 */
export function digestOf(ids: Iterable<string>): number {
  let hash = 0;
  for (const id of ids) hash = (hash ^ idHash(id)) >>> 0;
  return hash;
}

function idHash(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function decodeHistoryItem(item: unknown): HistoryItem | null {
  if (!isRecord(item)) return null;
  const { id, clock, from, name, at, text, picture, file } = item;
  if (!isMessageId(id) || !isClock(clock) || !isPeerId(from) || typeof name !== 'string') {
    return null;
  }
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0) return null;
  const base = { id, clock, from, name: cleanName(name), at };
  // Exactly one of text and picture.
  if (text !== undefined && picture === undefined) {
    const clean = decodeText(text);
    return clean === null ? null : { ...base, text: clean };
  }
  if (text === undefined && isRecord(picture)) {
    const { mime, size, follows } = picture;
    if (!isImageType(mime) || !isImageSize(size) || typeof follows !== 'boolean') return null;
    return { ...base, picture: { mime, size, follows } };
  }
  if (text === undefined && picture === undefined && isRecord(file)) return { ...base, file };
  return null;
}

function decodeText(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) return null;
  const clean = cleanText(value);
  return clean.trim() === '' ? null : clean;
}

/** Whether `value` names one of the text frame types chat owns. */
export function isChatFrameType(value: unknown): value is ChatFrameType {
  return (CHAT_FRAME_TYPES as readonly unknown[]).includes(value);
}

/** Whether `value` is one of the picture types rooms exchange. */
export function isImageType(value: unknown): value is ImageType {
  return (IMAGE_TYPES as readonly unknown[]).includes(value);
}

/** Whether `value` is a message ID (8 to 64 URL-safe characters). */
export function isMessageId(value: unknown): value is string {
  return typeof value === 'string' && MESSAGE_ID_PATTERN.test(value);
}

function isPeerId(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= MAX_PEER_ID_LENGTH && PEER_ID_PATTERN.test(value)
  );
}

/** Whether `value` is a Lamport clock value (a safe integer from 1). */
export function isClock(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/** Whether `value` is an integer from 0 to 2³² − 1. */
export function isUint32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_UINT32;
}

function isImageSize(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_IMAGE_BYTES;
}
