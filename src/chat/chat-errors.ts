import { RoomError, type ChatErrorCode } from '../errors.js';

/** Why a chat send or a file download was refused; each is a stable code a page can switch on. */
export const CHAT_ERROR_CODES: readonly ChatErrorCode[] = [
  'chat-empty',
  'chat-too-long',
  'chat-rate-limited',
  'image-too-large',
  'image-unsupported',
  'file-too-large',
  'file-unavailable',
  'chat-closed',
];

/** A RoomError with a chat code. */
export function chatError(code: ChatErrorCode, message: string): RoomError {
  return new RoomError(code, message);
}
