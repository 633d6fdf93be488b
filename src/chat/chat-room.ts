import { encodeChatFrame, type ChatPictureFrame } from '../protocol/chat-messages.js';
import type { ChatBoundFrame } from '../protocol/frame.js';
import { systemClock, type Clock } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import { ChatLog } from './chat-order.js';
import { ChatSync } from './chat-sync.js';
import {
  DEFAULT_CHAT_LIMITS,
  type ChatContext,
  type ChatLimits,
  type ChatMessage,
  type ChatPeers,
  type ChatPicture,
  type DropReason,
  type Entry,
} from './chat-types.js';
import { LiveMessages } from './live-messages.js';
import { PictureMemory } from './picture-memory.js';
import { TransferGate, type TransfersModule } from './transfer-gate.js';

export type {
  ChatLimits,
  ChatMessage,
  ChatPeers,
  ChatPicture,
  Delivery,
  DropReason,
  PictureFailure,
} from './chat-types.js';
export { DEFAULT_CHAT_LIMITS } from './chat-types.js';

export interface ChatRoomEvents {
  /** A new message: own or another's, live or relayed. */
  message: ChatMessage;
  /** Anything shown changed: a message, its delivery, progress or picture, the unread count. */
  change: void;
  /** Something a peer sent was dropped (and counted in `droppedCounts`). */
  dropped: { peerId: string; reason: DropReason };
}

export interface ChatRoomOptions {
  peers: ChatPeers;
  /** This visitor's peer ID. */
  selfId: string;
  /** This visitor's current display name. */
  selfName: () => string;
  limits?: Partial<ChatLimits>;
  /** Wall clock for `sentAt` (default `Date.now`). */
  now?: () => number;
  /** Monotonic clock for rate limits (default `performance.now`). */
  monotonicNow?: () => number;
  /** Timers of the sync (digests, requests); default the page's. */
  clock?: Clock;
  /** Makes message IDs (default `crypto.randomUUID`). */
  newId?: () => string;
  /** Loads the transfers chunk (default its relative `import()`). */
  loadTransfers?: () => Promise<TransfersModule>;
}

/**
 * The room's chat: messages in an order every peer agrees on, the same messages at every peer
 * after any drop, pictures sent and received in bounded chunks. It ties three parts together:
 * live messages (`LiveMessages`), history and sync (`ChatSync`), and the picture bytes held
 * (`PictureMemory`); the bytes on their way are the transfers chunk's, behind `TransferGate`.
 * Plain class, no DOM rendering; it talks to peers only through `ChatPeers`, and takes every frame
 * a peer sends as the protocol decoded it.
 */
export class ChatRoom extends Emitter<ChatRoomEvents> {
  private readonly limits: ChatLimits;
  private readonly log: ChatLog<Entry>;
  private readonly ready = new Set<string>();
  private readonly transfers: TransferGate;
  private readonly memory: PictureMemory;
  private readonly live: LiveMessages;
  private readonly sync: ChatSync;
  private readonly counts = new Map<DropReason, number>();
  private lamport = 0;
  private unreadCount = 0;
  private cachedMessages: readonly ChatMessage[] | null = null;
  private isDisposed = false;

  constructor(private readonly options: ChatRoomOptions) {
    super();
    const limits = { ...DEFAULT_CHAT_LIMITS, ...options.limits };
    limits.maxImageBytes = Math.min(limits.maxImageBytes, DEFAULT_CHAT_LIMITS.maxImageBytes);
    limits.pictureMemoryBytes = Math.max(limits.pictureMemoryBytes, limits.maxImageBytes);
    this.limits = limits;
    this.memory = new PictureMemory(limits.pictureMemoryBytes);
    this.log = new ChatLog<Entry>(limits.maxMessages, (entry) => this.memory.forget(entry));
    const context = this.context(options.clock ?? systemClock);
    this.transfers = new TransferGate(context, options.loadTransfers);
    this.live = new LiveMessages(context, {
      monotonicNow: options.monotonicNow,
      newId: options.newId,
      isClosed: () => this.isDisposed,
    });
    this.sync = new ChatSync(context);
  }

  /** The conversation in the order every peer agrees on. */
  get messages(): readonly ChatMessage[] {
    this.cachedMessages ??= Object.freeze(this.log.entries.map((entry) => entry.message));
    return this.cachedMessages;
  }

  /** Messages from others that arrived since the last `markRead()`. */
  get unread(): number {
    return this.unreadCount;
  }

  /** Declared bytes of pictures still arriving: the most memory they can take. */
  get bytesInFlight(): number {
    return this.transfers.bytesInFlight;
  }

  /** How many frames from peers were dropped, by reason. */
  get droppedCounts(): Readonly<Partial<Record<DropReason, number>>> {
    return Object.fromEntries(this.counts);
  }

  /** The largest picture sent or accepted. */
  get maxImageBytes(): number {
    return this.limits.maxImageBytes;
  }

  /** Sets `unread` back to 0 (the visitor opened the chat). */
  markRead(): void {
    if (this.unreadCount === 0) return;
    this.unreadCount = 0;
    this.emit('change', undefined);
  }

  /**
   * Call when a link to a peer carries its first hello, and again whenever the link is replaced:
   * the two sides compare what they hold and exchange what either lacks.
   */
  handlePeerReady(peerId: string): void {
    if (this.isDisposed) return;
    this.ready.add(peerId);
    this.live.peerReady(peerId);
    this.sync.linkReady(peerId);
  }

  /** Call when a peer's link is gone: its transfers stop and their memory is freed. */
  handlePeerGone(peerId: string): void {
    if (!this.ready.delete(peerId)) return;
    this.live.peerGone(peerId);
    this.transfers.cancelPeer(peerId);
    this.sync.linkGone(peerId);
  }

  /** Takes one frame a peer sent, decoded (see `decodeFrame`). */
  handleFrame(peerId: string, decoded: ChatBoundFrame): void {
    // A refused text frame is counted whoever sent it; binary is looked at only from a known peer.
    if (decoded.kind === 'invalid' && decoded.reason !== 'malformed-chunk') {
      this.drop(peerId, decoded.reason === 'too-large' ? 'too-large' : 'malformed');
      return;
    }
    if (this.isDisposed) return;
    if (!this.ready.has(peerId)) {
      this.drop(peerId, 'unknown-peer');
      return;
    }
    if (decoded.kind === 'invalid') {
      this.drop(peerId, 'malformed');
      return;
    }
    if (decoded.kind === 'chunk') {
      this.transfers.takeChunk(peerId, decoded.chunk);
      return;
    }
    const { frame } = decoded;
    switch (frame.type) {
      case 'chat':
        this.live.receiveText(peerId, frame);
        break;
      case 'picture':
        this.receivePicture(peerId, frame);
        break;
      case 'digest':
        this.sync.handleDigest(peerId, frame);
        break;
      case 'sync':
        this.sync.handleSync(peerId, frame);
        break;
      case 'want':
        this.sync.handleWant(peerId, frame);
        break;
      case 'history':
        this.sync.handleHistory(peerId, frame);
        break;
    }
  }

  /**
   * Sends a text message to every reachable peer. Resolves with the message: `delivery` is
   * `sent` when it is on at least one peer's channel, `pending` when nobody was reachable (it
   * goes out by itself once someone is). Rejects with a RoomError: `chat-empty`,
   * `chat-too-long`, `chat-rate-limited`, `chat-closed`.
   */
  sendText(text: string): Promise<ChatMessage> {
    return this.live.sendText(text);
  }

  /**
   * Sends a picture (PNG, JPEG, GIF or WebP, by its bytes) to every reachable peer. Resolves
   * with the message once every chunk is on every channel (`delivery` as for `sendText`);
   * rejects with a RoomError: `image-too-large`, `image-unsupported`, `chat-rate-limited`,
   * `chat-closed`.
   */
  sendImage(file: Blob): Promise<ChatMessage> {
    return this.live.sendImage(file);
  }

  /** Stops every transfer and timer, and frees every picture. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.transfers.dispose();
    this.sync.dispose();
    for (const entry of this.log.entries) this.memory.forget(entry);
    this.log.clear();
    this.cachedMessages = null;
    this.removeAllListeners();
  }

  private context(clock: Clock): ChatContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the parts see one live object
    const room = this;
    return {
      limits: this.limits,
      peers: this.options.peers,
      selfId: this.options.selfId,
      log: this.log,
      clock,
      get transfers() {
        return room.transfers;
      },
      get lamport() {
        return room.lamport;
      },
      selfName: () => this.options.selfName(),
      wallNow: () => (this.options.now ?? Date.now)(),
      isReady: (peerId) => this.ready.has(peerId),
      insert: (entry, countsUnread) => this.insert(entry, countsUnread),
      update: (id, change) => this.update(id, change),
      updatePicture: (id, change) => this.updatePicture(id, change),
      holdPicture: (entry, blob) => this.memory.hold(entry, blob),
      pictureArrived: (id, blob) => this.pictureArrived(id, blob),
      chunkArrived: (peerId) => this.sync.chunkArrived(peerId),
      drop: (peerId, reason) => this.drop(peerId, reason),
      sendFrame: (peerId, frame) => this.options.peers.send(peerId, encodeChatFrame(frame)),
    };
  }

  private receivePicture(peerId: string, frame: ChatPictureFrame): void {
    const known = this.log.get(frame.id);
    const isAwaited =
      known?.awaitingFrom === peerId
        ? this.sync.receivePicture(peerId, known, frame)
        : this.live.receivePicture(peerId, frame);
    if (isAwaited) this.transfers.receive(peerId, frame);
  }

  private pictureArrived(id: string, blob: Blob): void {
    const entry = this.log.get(id);
    if (!entry) return;
    this.updatePicture(id, { url: this.memory.hold(entry, blob), progress: 1 });
    this.keepPictureBudget();
  }

  private keepPictureBudget(): void {
    this.memory.keepBudget(this.log.entries, (entry) =>
      this.updatePicture(entry.id, { url: null, failed: 'unavailable' }),
    );
  }

  private insert(entry: Entry, countsUnread: boolean): boolean {
    if (!this.log.add(entry)) {
      this.memory.forget(entry);
      return false;
    }
    this.lamport = Math.max(this.lamport, entry.clock);
    if (countsUnread) this.unreadCount++;
    this.cachedMessages = null;
    this.emit('message', entry.message);
    this.emit('change', undefined);
    if (entry.blob) this.keepPictureBudget();
    return true;
  }

  private update(id: string, change: Partial<ChatMessage>): void {
    const entry = this.log.get(id);
    if (!entry || this.isDisposed) return;
    entry.message = { ...entry.message, ...change };
    this.cachedMessages = null;
    this.emit('change', undefined);
  }

  private updatePicture(id: string, change: Partial<ChatPicture>): void {
    const picture = this.log.get(id)?.message.picture;
    if (picture) this.update(id, { picture: { ...picture, ...change } });
  }

  private drop(peerId: string, reason: DropReason): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.emit('dropped', { peerId, reason });
  }
}
