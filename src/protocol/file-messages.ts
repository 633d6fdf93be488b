// Files on the data channel, in `file` text frames told apart by `op`. An `offer` is a chat
// message: a file's name, size, type and SHA-256, no bytes. A receiver asks the author for the
// bytes with `get`, under a transfer number of its own (from `FILE_TRANSFER_BASE`, so never a
// picture's); the author sends them as binary chunks carrying that number (see `encodeChunk`),
// 65,524 bytes each but the last; either side ends a transfer early with `stop`. The receiver
// checks the SHA-256 of the whole file (FIPS 180-4, every byte in order) before offering to save
// it. These frames reach the chat unvalidated (`ChatFileFrame`): they are validated here, in the
// transfers chunk, the only code that handles them. Pure: null for anything malformed.
import { isClock, isMessageId, isUint32 } from './chat-messages.js';
import { PROTOCOL_VERSION } from './messages.js';

/** Largest file the protocol carries (a room may set a lower limit, never a higher one). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/** Transfer numbers from here on are files' (their receiver's); below, pictures' (their sender's). */
export const FILE_TRANSFER_BASE = 0x8000_0000;

/** Longest file name, in UTF-16 code units after cleaning; a sender cuts longer ones. */
export const MAX_FILE_NAME_LENGTH = 255;

/** The type given to a file whose own is missing or not a plain `type/subtype`. */
export const UNKNOWN_FILE_TYPE = 'application/octet-stream';

/** What an offer says of a file. */
export interface FileOffer {
  name: string;
  size: number;
  mime: string;
  /** 64 lowercase hex digits. */
  sha256: string;
}

/** Offers a file: a new chat message whose bytes stay with its author until asked for. */
export interface FileOfferFrame extends FileOffer {
  v: typeof PROTOCOL_VERSION;
  type: 'file';
  op: 'offer';
  id: string;
  clock: number;
}

/** Asks the author of file message `id` for its bytes, as chunks numbered `transfer`. */
export interface FileGetFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'file';
  op: 'get';
  id: string;
  transfer: number;
}

/**
 * Ends transfer `transfer` early: the receiver cancelled (`cancel`), or the author will not send
 * it (`unavailable`: it holds no such file; `busy`: it sends too many already).
 */
export interface FileStopFrame {
  v: typeof PROTOCOL_VERSION;
  type: 'file';
  op: 'stop';
  transfer: number;
  reason: FileStopReason;
}

export type FileStopReason = 'cancel' | 'unavailable' | 'busy';

export type FileFrame = FileOfferFrame | FileGetFrame | FileStopFrame;

const STOP_REASONS: readonly FileStopReason[] = ['cancel', 'unavailable', 'busy'];
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const MIME_PATTERN = /^[\w.+-]{1,64}\/[\w.+-]{1,64}$/;
// Control characters, and the bidirectional controls that make `exe.txt` read as `txt.exe`.
const UNSAFE_NAME_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A file name as the chat shows and saves it: control and bidirectional-control characters
 * removed, path separators (`/`, `\`) turned into `_`, spaces trimmed; `file` when nothing is
 * left or only dots. Null when it is not a string or is longer than `MAX_FILE_NAME_LENGTH`.
 */
export function cleanFileName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const clean = value.replace(UNSAFE_NAME_CHARACTERS, '').replace(/[/\\]/g, '_').trim();
  if (clean.length > MAX_FILE_NAME_LENGTH) return null;
  return /^\.*$/.test(clean) ? 'file' : clean;
}

/** A MIME type as offered: lower-cased `type/subtype` without parameters, or `UNKNOWN_FILE_TYPE`. */
export function cleanFileType(value: unknown): string {
  const type = typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : '';
  return MIME_PATTERN.test(type) ? type : UNKNOWN_FILE_TYPE;
}

/** Validates what an offer says of a file (in a `file` frame or a history item), or null. */
export function validateFileOffer(data: Record<string, unknown>): FileOffer | null {
  const { size, sha256 } = data;
  const name = cleanFileName(data.name);
  if (name === null || !isFileSize(size)) return null;
  if (typeof sha256 !== 'string' || !SHA256_PATTERN.test(sha256)) return null;
  return { name, size, mime: cleanFileType(data.mime), sha256 };
}

/** Validates a file frame from a peer (as `ChatFileFrame` carried it), or null. */
export function validateFileFrame(data: Record<string, unknown>): FileFrame | null {
  if (data.v !== PROTOCOL_VERSION || data.type !== 'file') return null;
  const { id, clock, transfer } = data;
  const v = PROTOCOL_VERSION;
  switch (data.op) {
    case 'offer': {
      const offer = validateFileOffer(data);
      if (!offer || !isMessageId(id) || !isClock(clock)) return null;
      return { v, type: 'file', op: 'offer', id, clock, ...offer };
    }
    case 'get':
      if (!isMessageId(id) || !isFileTransfer(transfer)) return null;
      return { v, type: 'file', op: 'get', id, transfer };
    case 'stop': {
      const reason = STOP_REASONS.find((known) => known === data.reason);
      if (!reason || !isFileTransfer(transfer)) return null;
      return { v, type: 'file', op: 'stop', transfer, reason };
    }
    default:
      return null;
  }
}

/** Whether `value` is a file's transfer number (from `FILE_TRANSFER_BASE` to 2³² − 1). */
export function isFileTransfer(value: unknown): value is number {
  return isUint32(value) && value >= FILE_TRANSFER_BASE;
}

/** Serialises a file frame for the data channel. */
export function encodeFileFrame(frame: FileFrame): string {
  return JSON.stringify(frame);
}

function isFileSize(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_FILE_BYTES;
}
