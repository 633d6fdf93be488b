// History for late joiners: a newcomer asks one peer (the first that is ready) for the room's
// recent messages and moves on to the next only if that one leaves or stays silent. The answer
// is split into frames small enough for any data channel; pictures follow as transfers.
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import {
  encodeChatFrame,
  MAX_HISTORY_BATCH_ITEMS,
  type HistoryItem,
} from '../protocol/chat-messages.js';

/** Largest history frame a sender builds, in UTF-8 bytes (under the 64 KiB any channel takes). */
export const HISTORY_FRAME_BYTES = 48 * 1024;

export interface HistoryFetchOptions {
  /** Sends a history request to a peer; false when the channel is closed. */
  request(peerId: string): boolean;
  /** How long a peer may stay silent before the next one is asked. */
  timeoutMs: number;
  /** Called when the asking is over: an answer arrived in full, or nobody is left to ask. */
  settled(): void;
}

/** Which peer a newcomer asks for history, and when it gives up on one. */
export class HistoryFetch {
  private readonly candidates = new Set<string>();
  private readonly silent = new Set<string>();
  private current: string | null = null;
  private isComplete = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: HistoryFetchOptions) {}

  /** The peer asked and not yet answered in full. */
  get source(): string | null {
    return this.current;
  }

  get isDone(): boolean {
    return this.isComplete;
  }

  /** A peer became ready: asked at once if nobody is being asked. */
  peerReady(peerId: string): void {
    if (this.isComplete) return;
    this.candidates.add(peerId);
    if (this.current === null) this.askNext();
  }

  /** A peer left: if it was the one asked, the next one is. */
  peerGone(peerId: string): void {
    this.candidates.delete(peerId);
    this.silent.delete(peerId);
    if (this.current === peerId) this.giveUpOnCurrent(false);
  }

  /** Part of the answer arrived from the peer asked (restarts its timeout). */
  progressed(): void {
    if (this.current === null) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.giveUpOnCurrent(true), this.options.timeoutMs);
  }

  /** The whole answer arrived. */
  complete(): void {
    clearTimeout(this.timer);
    this.current = null;
    this.isComplete = true;
    this.options.settled();
  }

  /**
   * Whether to hold an answer to `requester` until our own history is in: we are still waiting
   * for someone else's (answering now would hand on a partial history).
   */
  shouldDefer(requester: string): boolean {
    return this.current !== null && this.current !== requester;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.current = null;
  }

  private giveUpOnCurrent(isSilent: boolean): void {
    clearTimeout(this.timer);
    if (isSilent && this.current !== null) this.silent.add(this.current);
    this.current = null;
    this.askNext();
  }

  private askNext(): void {
    for (const peerId of this.candidates) {
      if (this.silent.has(peerId)) continue;
      if (!this.options.request(peerId)) {
        this.silent.add(peerId);
        continue;
      }
      this.current = peerId;
      this.progressed();
      return;
    }
    // Nobody (else) to ask: answer those who waited on us with what we have.
    this.options.settled();
  }
}

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
