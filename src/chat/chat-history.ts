// Relayed messages travel in frames small enough for any data channel: history items (pictures
// follow as transfers), and the ID lists of `sync` summaries and `want` requests.
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import {
  encodeChatFrame,
  MAX_HISTORY_BATCH_ITEMS,
  MAX_SYNC_IDS,
  type ChatSyncFrame,
  type ChatWantFrame,
  type HistoryItem,
} from '../protocol/chat-messages.js';

/** Largest history frame a sender builds, in UTF-8 bytes (under the 64 KiB any channel takes). */
export const HISTORY_FRAME_BYTES = 48 * 1024;

/** Splits history items into encoded frames under `maxBytes` each; the last says `done`. */
export function historyFrames(
  items: readonly HistoryItem[],
  maxBytes = HISTORY_FRAME_BYTES,
): string[] {
  const encoder = new TextEncoder();
  const envelope = (batch: HistoryItem[], done: boolean) =>
    encodeChatFrame({ v: PROTOCOL_VERSION, type: 'history', items: batch, done });
  const overhead = encoder.encode(envelope([], false)).byteLength;
  const frames: string[] = [];
  let batch: HistoryItem[] = [];
  let bytes = overhead;
  for (const item of items) {
    // Each item also costs a separating comma.
    const itemBytes = encoder.encode(JSON.stringify(item)).byteLength + 1;
    if (
      batch.length > 0 &&
      (bytes + itemBytes > maxBytes || batch.length >= MAX_HISTORY_BATCH_ITEMS)
    ) {
      frames.push(envelope(batch, false));
      batch = [];
      bytes = overhead;
    }
    batch.push(item);
    bytes += itemBytes;
  }
  frames.push(envelope(batch, true));
  return frames;
}

/** Splits a list of message IDs into `sync` or `want` frames; the last says `done`. */
export function idFrames<T extends 'sync' | 'want'>(
  type: T,
  ids: readonly string[],
): Array<T extends 'sync' ? ChatSyncFrame : ChatWantFrame> {
  const frames = [];
  for (let at = 0; at === 0 || at < ids.length; at += MAX_SYNC_IDS) {
    const part = ids.slice(at, at + MAX_SYNC_IDS);
    frames.push({ v: PROTOCOL_VERSION, type, ids: part, done: at + MAX_SYNC_IDS >= ids.length });
  }
  return frames as unknown as Array<T extends 'sync' ? ChatSyncFrame : ChatWantFrame>;
}
