// The chat's public shapes (messages, pictures, limits) and the few internals its parts share.
import type { ChatFrame, ImageType } from '../protocol/chat-messages.js';
import { MAX_IMAGE_BYTES } from '../protocol/chat-messages.js';
import type { ChatLog, OrderKey } from './chat-order.js';
import type { TransferGate, TransferHost } from './transfer-gate.js';

/** The data channels as chat sees them; the session implements it over its remote peers. */
export interface ChatPeers {
  /** Peer IDs that are reachable now: data channel open, hello said, not gone silent. */
  ids(): string[];
  /** Sends a frame to one peer; false when its channel is not open. */
  send(peerId: string, data: string | ArrayBuffer): boolean;
  /** Bytes queued on that peer's channel and not yet sent. */
  bufferedAmount(peerId: string): number;
  /** The name from that peer's latest hello. */
  nameOf(peerId: string): string;
}

/** Why a picture is not shown: its bytes were not a picture, never all came, or were let go. */
export type PictureFailure = 'not-an-image' | 'incomplete' | 'refused' | 'unavailable';

export interface ChatPicture {
  /** The type its bytes proved to be. */
  readonly type: ImageType;
  readonly size: number;
  /** An object URL of the picture once all of it is here (the sender's at once), else null. */
  readonly url: string | null;
  /** From 0 to 1: how much has been sent (own pictures) or received (others'). */
  readonly progress: number;
  /** Set when the picture will not be shown. */
  readonly failed?: PictureFailure;
}

/**
 * Whether a message has left this browser: `pending` while it reached nobody (no one else was
 * reachable), `sent` once it is on a peer's data channel. A pending message goes out on its own
 * as soon as someone is reachable. Messages from others are always `sent`.
 */
export type Delivery = 'pending' | 'sent';

/** One message of the room's chat, as plain data; a new object whenever anything changes. */
export interface ChatMessage {
  /** Unique in the room. */
  readonly id: string;
  /** The author's peer ID. */
  readonly senderId: string;
  /** The author's name (from their hello; when relayed, as the relaying peer tells it). */
  readonly senderName: string;
  /** Whether this visitor wrote it. */
  readonly isOwn: boolean;
  /** Whether it came relayed (history for a late joiner, or caught up after a drop), not live. */
  readonly isHistory: boolean;
  /** When it was sent or received, in ms since the epoch. */
  readonly sentAt: number;
  readonly kind: 'text' | 'picture';
  readonly text?: string;
  readonly picture?: ChatPicture;
  /** `pending` until an own message reached someone; see `Delivery`. */
  readonly delivery: Delivery;
}

/** Why something a peer sent was dropped. */
export type DropReason =
  | 'malformed'
  | 'too-large'
  | 'rate-limited'
  | 'duplicate'
  | 'unknown-peer'
  | 'unsolicited'
  | 'forged'
  | 'clock'
  | 'busy'
  | 'unknown-transfer'
  | 'bad-chunk'
  | 'not-an-image'
  | 'timeout';

export interface ChatLimits {
  /** Largest picture sent or accepted (at most `MAX_IMAGE_BYTES`). */
  maxImageBytes: number;
  /** Messages accepted from each peer: a token bucket. */
  receiveRate: { perSecond: number; burst: number };
  /** Messages this visitor may send; stricter than `receiveRate` so peers never drop them. */
  sendRate: { perSecond: number; burst: number };
  /** Messages kept (the oldest go first). */
  maxMessages: number;
  /** Newest messages two peers compare and exchange when a link (re)opens. */
  historyMessages: number;
  /** Picture bytes sent along with one answer, and awaited at once (the newest pictures first). */
  historyPictureBytes: number;
  /** Picture bytes kept to show; older pictures are let go past this. */
  pictureMemoryBytes: number;
  maxBytesInFlightPerPeer: number;
  maxBytesInFlight: number;
  maxTransfersPerPeer: number;
  /** An incoming transfer with no chunk for this long is dropped. */
  transferIdleTimeoutMs: number;
  /** A peer asked for messages may stay silent this long before another one is asked. */
  historyTimeoutMs: number;
  /** How often each link compares digests, to heal what a drop made the two sides miss. */
  digestIntervalMs: number;
  /** Most bytes left queued on a channel before the next picture chunk waits. */
  highWaterBytes: number;
  /** How often a waiting transfer looks at the channel's queue again. */
  pollMs: number;
  /** How far ahead of ours a peer's clock may be (a forged clock would sort last forever). */
  maxClockLead: number;
}

export const DEFAULT_CHAT_LIMITS: Readonly<ChatLimits> = {
  maxImageBytes: MAX_IMAGE_BYTES,
  receiveRate: { perSecond: 10, burst: 20 },
  sendRate: { perSecond: 5, burst: 10 },
  maxMessages: 500,
  historyMessages: 100,
  historyPictureBytes: 32 * 1024 * 1024,
  pictureMemoryBytes: 64 * 1024 * 1024,
  maxBytesInFlightPerPeer: 2 * MAX_IMAGE_BYTES,
  maxBytesInFlight: 64 * 1024 * 1024,
  maxTransfersPerPeer: 2,
  transferIdleTimeoutMs: 30_000,
  historyTimeoutMs: 10_000,
  digestIntervalMs: 4_000,
  // Text waits behind at most this much picture data (about 0.4 s at 5 Mbit/s).
  highWaterBytes: 256 * 1024,
  pollMs: 20,
  maxClockLead: 1_000_000,
};

/** One message as chat keeps it (internal to src/chat). */
export interface Entry extends OrderKey {
  /** Replaced, never changed, so the page can keep what it was given. */
  message: ChatMessage;
  /** Picture bytes we hold (our own, or received in full), to show and to relay. */
  blob: Blob | null;
  /** For a relayed picture: the peer whose transfer of it we still expect. */
  awaitingFrom: string | null;
}

/** What the parts of the chat (live messages, sync, transfers) share, provided by `ChatRoom`. */
export interface ChatContext extends TransferHost {
  readonly selfId: string;
  readonly log: ChatLog<Entry>;
  /** Pictures' bytes, sent and received by the transfers chunk once it has loaded. */
  readonly transfers: TransferGate;
  /** Our Lamport clock: the highest clock seen. */
  readonly lamport: number;
  selfName(): string;
  /** Wall-clock time in ms since the epoch. */
  wallNow(): number;
  isReady(peerId: string): boolean;
  /** Adds a message in order; false when it is known (or too old for a full log). */
  insert(entry: Entry, countsUnread: boolean): boolean;
  /** Replaces a message with a changed copy. */
  update(id: string, change: Partial<ChatMessage>): void;
  /** Keeps picture bytes that arrived or were sent; returns the object URL to show. */
  holdPicture(entry: Entry, blob: Blob): string;
  sendFrame(peerId: string, frame: ChatFrame): boolean;
}
