import { cleanName, PROTOCOL_VERSION } from '../protocol/messages.js';
import {
  chatFrameTypeOf,
  cleanText,
  decodeChatFrame,
  decodeChunk,
  encodeChatFrame,
  MAX_CHAT_FRAME_LENGTH,
  MAX_IMAGE_BYTES,
  MAX_TEXT_LENGTH,
  type ChatHistoryFrame,
  type ChatPictureFrame,
  type ChatTextFrame,
  type HistoryItem,
  type ImageType,
} from '../protocol/chat-messages.js';
import type { RoomError } from '../errors.js';
import { Emitter } from '../util/emitter.js';
import { chatError } from './chat-errors.js';
import { HistoryFetch, historyFrames } from './chat-history.js';
import { ChatLog, type OrderKey } from './chat-order.js';
import { sniffImageType } from './image-sniff.js';
import { PictureReceiver, PictureSender, type IncomingFailure } from './picture-transfer.js';
import { TokenBucket } from './rate-limit.js';

/** The data channels as chat sees them; the session implements it over its remote peers. */
export interface ChatPeers {
  /** Peer IDs whose data channel is open and who said hello. */
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

/** One message of the room's chat, as plain data; a new object whenever anything changes. */
export interface ChatMessage {
  /** Unique in the room. */
  readonly id: string;
  /** The author's peer ID. */
  readonly senderId: string;
  /** The author's name (from their hello; in history, as the relaying peer tells it). */
  readonly senderName: string;
  /** Whether this visitor wrote it. */
  readonly isOwn: boolean;
  /** Whether it came with the history a late joiner receives, not live. */
  readonly isHistory: boolean;
  /** When it was sent or received, in ms since the epoch. */
  readonly sentAt: number;
  readonly kind: 'text' | 'picture';
  readonly text?: string;
  readonly picture?: ChatPicture;
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

export interface ChatRoomEvents {
  /** A new message: own or another's, live or from history. */
  message: ChatMessage;
  /** Anything shown changed: a message, its progress or picture, the unread count. */
  change: void;
  /** Something a peer sent was dropped (and counted in `droppedCounts`). */
  dropped: { peerId: string; reason: DropReason };
}

export interface ChatLimits {
  /** Largest picture sent or accepted (at most `MAX_IMAGE_BYTES`). */
  maxImageBytes: number;
  /** Messages accepted from each peer: a token bucket. */
  receiveRate: { perSecond: number; burst: number };
  /** Messages this visitor may send; stricter than `receiveRate` so peers never drop them. */
  sendRate: { perSecond: number; burst: number };
  /** Messages kept (the oldest go first). */
  maxMessages: number;
  /** Messages a late joiner is sent (and accepts). */
  historyMessages: number;
  /** Picture bytes sent along with history (the newest pictures first). */
  historyPictureBytes: number;
  /** Picture bytes kept to show; older pictures are let go past this. */
  pictureMemoryBytes: number;
  maxBytesInFlightPerPeer: number;
  maxBytesInFlight: number;
  maxTransfersPerPeer: number;
  /** An incoming transfer with no chunk for this long is dropped. */
  transferIdleTimeoutMs: number;
  /** A peer asked for history may stay silent this long before the next one is asked. */
  historyTimeoutMs: number;
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
  // Text waits behind at most this much picture data (about 0.4 s at 5 Mbit/s).
  highWaterBytes: 256 * 1024,
  pollMs: 20,
  maxClockLead: 1_000_000,
};

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
  /** Makes message IDs (default `crypto.randomUUID`). */
  newId?: () => string;
}

interface Entry extends OrderKey {
  /** Replaced, never changed, so the page can keep what it was given. */
  message: ChatMessage;
  /** Picture bytes we hold (our own, or received in full), to show and to relay as history. */
  blob: Blob | null;
  /** For a history picture: the peer whose transfer of it we still expect. */
  awaitingFrom: string | null;
}

/**
 * The room's chat: messages in an order every peer agrees on, pictures sent and received in
 * bounded chunks, history for late joiners. Plain class, no DOM rendering; it talks to peers
 * only through `ChatPeers`, and every frame a peer sends passes the protocol's validator.
 */
export class ChatRoom extends Emitter<ChatRoomEvents> {
  private readonly limits: ChatLimits;
  private readonly log: ChatLog<Entry>;
  private readonly ready = new Set<string>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly sendBucket: TokenBucket;
  private readonly sender: PictureSender;
  private readonly receiver: PictureReceiver;
  private readonly history: HistoryFetch;
  /** Peers whose history request waits for our own history. */
  private readonly deferredRequests = new Set<string>();
  /** Peers that asked for history on their current link. */
  private readonly historyAnswered = new Set<string>();
  private readonly counts = new Map<DropReason, number>();
  private clock = 0;
  private transferCounter = 0;
  private heldPictureBytes = 0;
  /** History items accepted, and picture bytes they may still bring, for this visit. */
  private historyItemsTaken = 0;
  private historyPictureBudget: number;
  private historyPictureTimer: ReturnType<typeof setTimeout> | undefined;
  private unreadCount = 0;
  private cachedMessages: readonly ChatMessage[] | null = null;
  private isDisposed = false;

  constructor(private readonly options: ChatRoomOptions) {
    super();
    const limits = { ...DEFAULT_CHAT_LIMITS, ...options.limits };
    limits.maxImageBytes = Math.min(limits.maxImageBytes, MAX_IMAGE_BYTES);
    limits.pictureMemoryBytes = Math.max(limits.pictureMemoryBytes, limits.maxImageBytes);
    this.limits = limits;
    this.historyPictureBudget = limits.historyPictureBytes;
    this.log = new ChatLog<Entry>(limits.maxMessages, (entry) => this.forget(entry));
    this.sendBucket = this.bucket(limits.sendRate);
    this.sender = new PictureSender({
      channels: options.peers,
      highWaterBytes: limits.highWaterBytes,
      pollMs: limits.pollMs,
    });
    this.receiver = new PictureReceiver(
      {
        maxImageBytes: limits.maxImageBytes,
        maxBytesPerPeer: limits.maxBytesInFlightPerPeer,
        maxBytesTotal: limits.maxBytesInFlight,
        maxTransfersPerPeer: limits.maxTransfersPerPeer,
        idleTimeoutMs: limits.transferIdleTimeoutMs,
      },
      {
        progress: (id, fraction) => this.updatePicture(id, { progress: fraction }),
        complete: (id, blob) => this.pictureArrived(id, blob),
        fail: (peerId, id, reason) => this.pictureFailed(peerId, id, reason),
      },
    );
    this.history = new HistoryFetch({
      request: (peerId) =>
        options.peers.send(
          peerId,
          encodeChatFrame({ v: PROTOCOL_VERSION, type: 'history-request' }),
        ),
      timeoutMs: limits.historyTimeoutMs,
      settled: () => this.answerDeferredRequests(),
    });
  }

  /** The conversation in the order every peer agrees on. */
  get messages(): readonly ChatMessage[] {
    this.cachedMessages ??= Object.freeze(this.log.entries.map((entry) => entry.message));
    return this.cachedMessages;
  }

  /** Messages from others that arrived live since the last `markRead()`. */
  get unread(): number {
    return this.unreadCount;
  }

  /** Declared bytes of pictures still arriving: the most memory they can take. */
  get bytesInFlight(): number {
    return this.receiver.bytesInFlight;
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

  /** Call after a peer's first hello: it gets our messages, and may answer a history request. */
  handlePeerReady(peerId: string): void {
    if (this.isDisposed || this.ready.has(peerId)) return;
    this.ready.add(peerId);
    this.buckets.set(peerId, this.bucket(this.limits.receiveRate));
    this.history.peerReady(peerId);
  }

  /** Call when a peer's link is gone: its transfers stop and their memory is freed. */
  handlePeerGone(peerId: string): void {
    if (!this.ready.delete(peerId)) return;
    this.buckets.delete(peerId);
    this.deferredRequests.delete(peerId);
    this.historyAnswered.delete(peerId);
    this.sender.cancelPeer(peerId);
    this.receiver.cancelPeer(peerId);
    this.failAwaitedPictures(peerId);
    this.history.peerGone(peerId);
  }

  /**
   * Takes one frame a peer sent. Returns true when it was chat's (every binary frame, and every
   * text frame whose `type` is a chat type), valid or not; false hands it to the control decoder.
   */
  handleData(peerId: string, data: unknown): boolean {
    if (typeof data !== 'string') {
      if (!(data instanceof ArrayBuffer || ArrayBuffer.isView(data) || data instanceof Blob)) {
        return false;
      }
      if (!this.isDisposed) this.handleBinary(peerId, data);
      return true;
    }
    const frame = decodeChatFrame(data);
    if (!frame) {
      // No frame of any kind is this long: it is not a control message either.
      if (data.length > MAX_CHAT_FRAME_LENGTH) this.drop(peerId, 'too-large');
      else if (chatFrameTypeOf(data)) this.drop(peerId, 'malformed');
      else return false;
      return true;
    }
    if (this.isDisposed) return true;
    if (!this.ready.has(peerId)) {
      this.drop(peerId, 'unknown-peer');
      return true;
    }
    switch (frame.type) {
      case 'chat':
        this.receiveText(peerId, frame);
        break;
      case 'picture':
        this.receivePicture(peerId, frame);
        break;
      case 'history-request':
        // Once per link: a history can be megabytes of pictures, not something to ask for twice.
        if (this.historyAnswered.has(peerId)) {
          this.drop(peerId, 'unsolicited');
          break;
        }
        this.historyAnswered.add(peerId);
        if (this.history.shouldDefer(peerId)) this.deferredRequests.add(peerId);
        else void this.answerHistory(peerId);
        break;
      case 'history':
        this.receiveHistory(peerId, frame);
        break;
    }
    return true;
  }

  /**
   * Sends a text message to everyone. Resolves with the message once it is on every channel;
   * rejects with a RoomError: `chat-empty`, `chat-too-long`, `chat-rate-limited`, `chat-closed`.
   */
  async sendText(text: string): Promise<ChatMessage> {
    if (this.isDisposed) throw closedError();
    const clean = cleanText(text).trim();
    if (!clean) throw chatError('chat-empty', 'A message needs some text.');
    if (clean.length > MAX_TEXT_LENGTH) {
      throw chatError('chat-too-long', `A message has at most ${MAX_TEXT_LENGTH} characters.`);
    }
    if (!this.sendBucket.take()) throw rateLimitedError();
    const frame: ChatTextFrame = {
      v: PROTOCOL_VERSION,
      type: 'chat',
      id: this.newId(),
      clock: ++this.clock,
      text: clean,
    };
    const entry = this.addOwn(frame.id, frame.clock, { kind: 'text', text: clean }, null);
    const encoded = encodeChatFrame(frame);
    for (const peerId of this.options.peers.ids()) this.options.peers.send(peerId, encoded);
    return entry.message;
  }

  /**
   * Sends a picture (PNG, JPEG, GIF or WebP, by its bytes) to everyone. Resolves with the message
   * once every chunk is on every channel; rejects with a RoomError: `image-too-large`,
   * `image-unsupported`, `chat-rate-limited`, `chat-closed`.
   */
  async sendImage(file: Blob): Promise<ChatMessage> {
    if (this.isDisposed) throw closedError();
    const maxBytes = this.limits.maxImageBytes;
    const tooLarge = () => chatError('image-too-large', `A picture has at most ${maxBytes} bytes.`);
    if (file.size > maxBytes) throw tooLarge();
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (this.isDisposed) throw closedError();
    if (bytes.byteLength > maxBytes) throw tooLarge();
    const type = sniffImageType(bytes);
    if (!type) {
      throw chatError('image-unsupported', 'Only PNG, JPEG, GIF and WebP pictures can be sent.');
    }
    if (!this.sendBucket.take()) throw rateLimitedError();
    const blob = new Blob([bytes], { type });
    const id = this.newId();
    const clock = ++this.clock;
    const targets = this.options.peers.ids();
    const picture: ChatPicture = {
      type,
      size: bytes.byteLength,
      url: URL.createObjectURL(blob),
      progress: targets.length > 0 ? 0 : 1,
    };
    const entry = this.addOwn(id, clock, { kind: 'picture', picture }, blob);
    const sent = new Map<string, number>();
    const total = bytes.byteLength * targets.length;
    await Promise.all(
      targets.map((peerId) => {
        const transfer = this.nextTransfer();
        return this.sender.send(peerId, {
          transfer,
          offer: pictureOffer(id, clock, transfer, type, bytes.byteLength),
          bytes,
          onProgress: (sentBytes) => {
            sent.set(peerId, sentBytes);
            const sum = [...sent.values()].reduce((a, b) => a + b, 0);
            this.updatePicture(id, { progress: Math.min(1, sum / total) });
          },
        });
      }),
    );
    if (this.isDisposed) throw closedError();
    this.updatePicture(id, { progress: 1 });
    return entry.message;
  }

  /** Stops every transfer and timer, and frees every picture. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.sender.dispose();
    this.receiver.dispose();
    this.history.dispose();
    clearTimeout(this.historyPictureTimer);
    for (const entry of this.log.entries) this.forget(entry);
    this.log.clear();
    this.cachedMessages = null;
    this.removeAllListeners();
  }

  private receiveText(peerId: string, frame: ChatTextFrame): void {
    if (!this.takeToken(peerId) || !this.acceptLive(peerId, frame)) return;
    this.addRemote(peerId, frame.id, frame.clock, { kind: 'text', text: frame.text });
  }

  private receivePicture(peerId: string, frame: ChatPictureFrame): void {
    const known = this.log.get(frame.id);
    if (known?.awaitingFrom === peerId) {
      this.receiveHistoryPicture(peerId, known, frame);
      return;
    }
    if (!this.takeToken(peerId) || !this.acceptLive(peerId, frame)) return;
    if (frame.size > this.limits.maxImageBytes) {
      this.drop(peerId, 'too-large');
      return;
    }
    const picture: ChatPicture = { type: frame.mime, size: frame.size, url: null, progress: 0 };
    this.addRemote(peerId, frame.id, frame.clock, { kind: 'picture', picture });
    this.startTransfer(peerId, frame);
  }

  private receiveHistoryPicture(peerId: string, entry: Entry, frame: ChatPictureFrame): void {
    const picture = entry.message.picture;
    entry.awaitingFrom = null;
    if (picture?.type !== frame.mime || picture.size !== frame.size) {
      this.drop(peerId, 'forged');
      this.updatePicture(entry.id, { failed: 'incomplete' });
      return;
    }
    this.touchHistoryPictures(peerId);
    this.startTransfer(peerId, frame);
  }

  private startTransfer(peerId: string, frame: ChatPictureFrame): void {
    const refusal = this.receiver.start(peerId, frame.transfer, {
      messageId: frame.id,
      type: frame.mime,
      size: frame.size,
    });
    if (refusal === null) return;
    this.drop(
      peerId,
      refusal === 'busy' ? 'busy' : refusal === 'too-large' ? 'too-large' : 'malformed',
    );
    this.updatePicture(frame.id, { failed: 'refused' });
  }

  /** A live message must be new, and its clock not absurdly far ahead of ours. */
  private acceptLive(peerId: string, frame: { id: string; clock: number }): boolean {
    if (this.log.has(frame.id)) {
      this.drop(peerId, 'duplicate');
      return false;
    }
    if (frame.clock > this.clock + this.limits.maxClockLead) {
      this.drop(peerId, 'clock');
      return false;
    }
    return true;
  }

  private receiveHistory(peerId: string, frame: ChatHistoryFrame): void {
    if (this.history.source !== peerId) {
      this.drop(peerId, 'unsolicited');
      return;
    }
    this.history.progressed();
    for (const item of frame.items) this.takeHistoryItem(peerId, item);
    if (!frame.done) return;
    this.history.complete();
    this.touchHistoryPictures(peerId);
  }

  private takeHistoryItem(peerId: string, item: HistoryItem): void {
    if (this.historyItemsTaken >= this.limits.historyMessages) {
      this.drop(peerId, 'unsolicited');
      return;
    }
    this.historyItemsTaken++;
    // We are new to the room: nothing in its past can be ours.
    if (item.from === this.options.selfId) {
      this.drop(peerId, 'forged');
      return;
    }
    if (this.log.has(item.id)) return; // Seen live already.
    if (item.clock > this.clock + this.limits.maxClockLead) {
      this.drop(peerId, 'clock');
      return;
    }
    let picture: ChatPicture | undefined;
    let awaitingFrom: string | null = null;
    if (item.picture) {
      const { mime, size, follows } = item.picture;
      const isExpected =
        follows && size <= this.limits.maxImageBytes && size <= this.historyPictureBudget;
      if (isExpected) {
        this.historyPictureBudget -= size;
        awaitingFrom = peerId;
      }
      picture = { type: mime, size, url: null, progress: 0 };
      if (!isExpected) picture = { ...picture, failed: 'unavailable' };
    }
    const entry: Entry = {
      id: item.id,
      clock: item.clock,
      senderId: item.from,
      blob: null,
      awaitingFrom,
      message: {
        id: item.id,
        senderId: item.from,
        // A live peer's name is the one from its own hello, whatever a relay says.
        senderName: this.ready.has(item.from) ? this.options.peers.nameOf(item.from) : item.name,
        isOwn: false,
        isHistory: true,
        sentAt: Math.min(item.at, this.now()),
        kind: picture ? 'picture' : 'text',
        ...(picture ? { picture } : { text: item.text }),
      },
    };
    this.insert(entry);
  }

  /** Restarts the wait for the history pictures a peer still owes us. */
  private touchHistoryPictures(peerId: string): void {
    clearTimeout(this.historyPictureTimer);
    if (!this.log.entries.some((entry) => entry.awaitingFrom === peerId)) return;
    this.historyPictureTimer = setTimeout(() => {
      if (this.failAwaitedPictures(peerId)) this.drop(peerId, 'timeout');
    }, this.limits.transferIdleTimeoutMs);
  }

  private failAwaitedPictures(peerId: string): boolean {
    let isAny = false;
    for (const entry of this.log.entries) {
      if (entry.awaitingFrom !== peerId) continue;
      entry.awaitingFrom = null;
      isAny = true;
      this.updatePicture(entry.id, { failed: 'incomplete' });
    }
    return isAny;
  }

  private answerDeferredRequests(): void {
    for (const peerId of [...this.deferredRequests]) void this.answerHistory(peerId);
    this.deferredRequests.clear();
  }

  private async answerHistory(peerId: string): Promise<void> {
    const recent = this.log.entries.slice(-this.limits.historyMessages);
    // The newest pictures that fit the budget go along.
    const withBytes = new Set<Entry>();
    let budget = this.limits.historyPictureBytes;
    for (const entry of [...recent].reverse()) {
      if (entry.blob && entry.blob.size <= budget) {
        withBytes.add(entry);
        budget -= entry.blob.size;
      }
    }
    const items = recent.map((entry) => this.toHistoryItem(entry, withBytes.has(entry)));
    for (const frame of historyFrames(items)) {
      if (!this.options.peers.send(peerId, frame)) return;
    }
    for (const entry of recent) {
      const picture = entry.message.picture;
      if (!withBytes.has(entry) || !entry.blob || !picture) continue;
      const transfer = this.nextTransfer();
      void this.sender.send(peerId, {
        transfer,
        offer: pictureOffer(entry.id, entry.clock, transfer, picture.type, picture.size),
        bytes: entry.blob,
      });
    }
  }

  private toHistoryItem(entry: Entry, hasBytes: boolean): HistoryItem {
    const { message } = entry;
    const item = {
      id: entry.id,
      clock: entry.clock,
      from: entry.senderId,
      name: message.isOwn ? cleanName(this.options.selfName()) : message.senderName,
      at: message.sentAt,
    };
    if (!message.picture) return { ...item, text: message.text ?? '' };
    const { type, size } = message.picture;
    return { ...item, picture: { mime: type, size, follows: hasBytes } };
  }

  private handleBinary(peerId: string, data: ArrayBuffer | ArrayBufferView | Blob): void {
    if (!this.ready.has(peerId)) {
      this.drop(peerId, 'unknown-peer');
      return;
    }
    const chunk = data instanceof Blob ? null : decodeChunk(toArrayBuffer(data));
    if (!chunk) {
      this.drop(peerId, 'malformed');
      return;
    }
    const outcome = this.receiver.handleChunk(peerId, chunk);
    if (outcome !== 'ok') this.drop(peerId, outcome);
    else if (this.log.entries.some((entry) => entry.awaitingFrom === peerId)) {
      this.touchHistoryPictures(peerId);
    }
  }

  private pictureArrived(id: string, blob: Blob): void {
    const entry = this.log.get(id);
    if (!entry) return;
    entry.blob = blob;
    this.heldPictureBytes += blob.size;
    this.updatePicture(id, { url: URL.createObjectURL(blob), progress: 1 });
    this.keepPictureBudget();
  }

  private pictureFailed(peerId: string, id: string, reason: IncomingFailure): void {
    // Chunk-level reasons were counted as the chunk was dropped; a departure is not an offence.
    if (reason === 'timeout') this.drop(peerId, 'timeout');
    this.updatePicture(id, { failed: reason === 'not-an-image' ? 'not-an-image' : 'incomplete' });
  }

  /** Lets go of the oldest pictures while those held exceed the memory budget. */
  private keepPictureBudget(): void {
    for (const entry of this.log.entries) {
      if (this.heldPictureBytes <= this.limits.pictureMemoryBytes) return;
      if (!entry.blob) continue;
      this.forget(entry);
      this.updatePicture(entry.id, { url: null, failed: 'unavailable' });
    }
  }

  private forget(entry: Entry): void {
    const url = entry.message.picture?.url;
    if (url) URL.revokeObjectURL(url);
    if (entry.blob) this.heldPictureBytes -= entry.blob.size;
    entry.blob = null;
    entry.awaitingFrom = null;
  }

  private addOwn(
    id: string,
    clock: number,
    content: Pick<ChatMessage, 'kind' | 'text' | 'picture'>,
    blob: Blob | null,
  ): Entry {
    const entry: Entry = {
      id,
      clock,
      senderId: this.options.selfId,
      blob,
      awaitingFrom: null,
      message: {
        id,
        senderId: this.options.selfId,
        senderName: this.options.selfName(),
        isOwn: true,
        isHistory: false,
        sentAt: this.now(),
        ...content,
      },
    };
    if (blob) this.heldPictureBytes += blob.size;
    this.insert(entry);
    this.keepPictureBudget();
    return entry;
  }

  private addRemote(
    peerId: string,
    id: string,
    clock: number,
    content: Pick<ChatMessage, 'kind' | 'text' | 'picture'>,
  ): void {
    const entry: Entry = {
      id,
      clock,
      senderId: peerId,
      blob: null,
      awaitingFrom: null,
      message: {
        id,
        senderId: peerId,
        senderName: this.options.peers.nameOf(peerId),
        isOwn: false,
        isHistory: false,
        sentAt: this.now(),
        ...content,
      },
    };
    if (this.insert(entry)) this.unreadCount++;
  }

  private insert(entry: Entry): boolean {
    if (!this.log.add(entry)) return false;
    this.clock = Math.max(this.clock, entry.clock);
    this.cachedMessages = null;
    this.emit('message', entry.message);
    this.emit('change', undefined);
    return true;
  }

  private updatePicture(id: string, change: Partial<ChatPicture>): void {
    const entry = this.log.get(id);
    const picture = entry?.message.picture;
    if (!entry || !picture || this.isDisposed) return;
    entry.message = { ...entry.message, picture: { ...picture, ...change } };
    this.cachedMessages = null;
    this.emit('change', undefined);
  }

  private takeToken(peerId: string): boolean {
    if (this.buckets.get(peerId)?.take()) return true;
    this.drop(peerId, 'rate-limited');
    return false;
  }

  private drop(peerId: string, reason: DropReason): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.emit('dropped', { peerId, reason });
  }

  private bucket(rate: { perSecond: number; burst: number }): TokenBucket {
    return new TokenBucket(rate.perSecond, rate.burst, this.options.monotonicNow);
  }

  private nextTransfer(): number {
    this.transferCounter = (this.transferCounter + 1) >>> 0;
    return this.transferCounter;
  }

  private newId(): string {
    return (this.options.newId ?? (() => crypto.randomUUID()))();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function pictureOffer(
  id: string,
  clock: number,
  transfer: number,
  mime: ImageType,
  size: number,
): string {
  const frame: ChatPictureFrame = {
    v: PROTOCOL_VERSION,
    type: 'picture',
    id,
    clock,
    transfer,
    mime,
    size,
  };
  return encodeChatFrame(frame);
}

function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const copy = new Uint8Array(data.byteLength);
  copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return copy.buffer;
}

function closedError(): RoomError {
  return chatError('chat-closed', 'The chat is closed (the visit to the room ended).');
}

function rateLimitedError(): RoomError {
  return chatError('chat-rate-limited', 'Too many messages at once; wait a moment.');
}
