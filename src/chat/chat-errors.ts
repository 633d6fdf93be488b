import { RoomError, type RoomErrorCode } from '../errors.js';

/** Why `sendText` or `sendImage` refused; each is a stable code a page can switch on. */
export const CHAT_ERROR_CODES = [
  'chat-empty',
  'chat-too-long',
  'chat-rate-limited',
  'image-too-large',
  'image-unsupported',
  'chat-closed',
] as const;

export type ChatErrorCode = (typeof CHAT_ERROR_CODES)[number];

/**
 * A RoomError with a chat code. The cast stands until these codes join `RoomErrorCode`; then it
 * is a plain constructor call.
 */
export function chatError(code: ChatErrorCode, message: string): RoomError {
  return new RoomError(code as unknown as RoomErrorCode, message);
}
