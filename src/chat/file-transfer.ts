// Files in the chat: offered, not pushed. An offer (name, size, type, SHA-256) is a chat message;
// its bytes stay with the author until someone asks (`file-get`), then go straight to that one
// peer as binary chunks with back-pressure, read from the file a part at a time. The receiver
// writes them into Blob parts, hashes them as they come and offers to save them only when the
// SHA-256 matches. Nothing a peer declared is trusted: the chunks must add up to the size offered,
// in order, without stalling, and a peer's file frames share one rate limit.
import { RoomError } from '../errors.js';
import {
  CHUNK_FRAME_BYTES,
  CHUNK_PAYLOAD_BYTES,
  encodeChunk,
  type ChunkFrame,
  type HistoryItem,
} from '../protocol/chat-messages.js';
import {
  cleanFileName,
  cleanFileType,
  encodeFileFrame,
  FILE_TRANSFER_BASE,
  MAX_FILE_BYTES,
  MAX_FILE_NAME_LENGTH,
  UNKNOWN_FILE_TYPE,
  validateFileFrame,
  validateFileOffer,
  type FileFrame,
  type FileOffer,
  type FileOfferFrame,
  type FileStopReason,
} from '../protocol/file-messages.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import type { TimerHandle } from '../util/clock.js';
import { chatError } from './chat-errors.js';
import type { ChatContext, ChatFile, ChatMessage, Entry } from './chat-types.js';
import { closedError, rateLimitedError } from './live-messages.js';
import { TokenBucket } from './rate-limit.js';
import { Sha256 } from './sha256.js';
import type { FileTransfers } from './transfer-gate.js';

/** How the files part sends, receives and refuses; `FILE_TUNING` holds the values. */
export interface FileTuning {
  /** Bytes read from a file at once when hashing or sending, and gathered into one Blob part. */
  partBytes: number;
  /** Most bytes left queued on a channel before the next file chunk waits. */
  highWaterBytes: number;
  /** How often a waiting upload looks at the channel's queue again. */
  pollMs: number;
  /** Files sent to one peer at once; more are refused `busy`. */
  maxUploadsPerPeer: number;
  /** Offers accepted from each peer, and made by this visitor: a token bucket. */
  offerRate: { perSecond: number; burst: number };
  /** Requests and stops accepted from each peer. */
  requestRate: { perSecond: number; burst: number };
}

export const FILE_TUNING: Readonly<FileTuning> = {
  partBytes: 1024 * 1024,
  // Enough to keep a data channel busy between two polls; text waits behind at most this.
  highWaterBytes: 1024 * 1024,
  pollMs: 4,
  maxUploadsPerPeer: 2,
  offerRate: { perSecond: 2, burst: 8 },
  requestRate: { perSecond: 20, burst: 40 },
};

interface Upload {
  peerId: string;
  transfer: number;
  isCancelled: boolean;
}

interface Download {
  peerId: string;
  transfer: number;
  messageId: string;
  offer: FileOffer;
  received: number;
  nextIndex: number;
  hash: Sha256;
  /** Chunks not yet gathered into a Blob part. */
  pending: Uint8Array[];
  pendingBytes: number;
  parts: Blob[];
  percent: number;
  lastAt: number;
  timer: TimerHandle | undefined;
  finished: Promise<ChatMessage>;
  finish: () => void;
}

/** The chat's files, in the transfers chunk: offers, uploads and downloads. */
export class ChatFiles implements FileTransfers {
  private readonly own = new Map<string, Blob>();
  private readonly uploads = new Map<string, Upload>();
  private readonly downloads = new Map<string, Download>();
  private readonly buckets = new Map<string, { offers: TokenBucket; requests: TokenBucket }>();
  private readonly sendBucket: TokenBucket;
  private readonly maxBytes: number;
  private transferCounter = 0;
  private isDisposed = false;

  constructor(
    private readonly chat: ChatContext,
    private readonly tuning: FileTuning = FILE_TUNING,
  ) {
    const wanted = chat.limits.maxFileBytes ?? 0;
    this.maxBytes = wanted > 0 && wanted < MAX_FILE_BYTES ? wanted : MAX_FILE_BYTES;
    // As strict as every peer's limit on offers, so that none of ours is dropped.
    this.sendBucket = this.bucket(tuning.offerRate);
  }

  async send(file: Blob): Promise<ChatMessage> {
    const { chat } = this;
    if (this.isDisposed) throw closedError();
    if (file.size > this.maxBytes) {
      throw chatError('file-too-large', `A file has at most ${this.maxBytes} bytes.`);
    }
    if (!this.sendBucket.take()) throw rateLimitedError();
    const sha256 = await this.hash(file);
    if (this.isDisposed) throw closedError();
    const rawName = file instanceof File ? file.name : '';
    const frame: FileOfferFrame = {
      v: PROTOCOL_VERSION,
      type: 'file',
      op: 'offer',
      id: crypto.randomUUID(),
      clock: chat.lamport + 1,
      // The end of an over-long name keeps its extension.
      name: cleanFileName(rawName.slice(-MAX_FILE_NAME_LENGTH)) ?? 'file',
      size: file.size,
      mime: cleanFileType(file.type),
      sha256,
    };
    const encoded = encodeFileFrame(frame);
    const reached = chat.peers.ids().filter((peerId) => chat.peers.send(peerId, encoded));
    this.own.set(frame.id, file);
    const entry = this.entry(chat.selfId, frame, { state: 'offered' }, false);
    entry.message = { ...entry.message, delivery: reached.length > 0 ? 'sent' : 'pending' };
    chat.insert(entry, false);
    return entry.message;
  }

  async download(messageId: string): Promise<ChatMessage> {
    const { chat } = this;
    const entry = chat.log.get(messageId);
    const file = entry?.message.file;
    if (!entry || !file || entry.message.isOwn || this.isDisposed) throw unavailableError();
    if (file.state === 'done') return entry.message;
    const under = this.downloadOf(messageId);
    if (under) return under.finished;
    if (file.failure === 'too-large') {
      throw chatError('file-too-large', `A file has at most ${this.maxBytes} bytes.`);
    }
    const peerId = entry.senderId;
    this.transferCounter = (this.transferCounter + 1) % FILE_TRANSFER_BASE;
    const transfer = FILE_TRANSFER_BASE + this.transferCounter;
    const get: FileFrame = {
      v: PROTOCOL_VERSION,
      type: 'file',
      op: 'get',
      id: messageId,
      transfer,
    };
    if (!chat.isReady(peerId) || !chat.peers.send(peerId, encodeFileFrame(get))) {
      this.setFile(messageId, { state: 'unavailable', progress: 0 });
      throw unavailableError();
    }
    let finish = () => {};
    const finished = new Promise<ChatMessage>((resolve) => {
      finish = () => resolve(chat.log.get(messageId)?.message ?? entry.message);
    });
    const download: Download = {
      peerId,
      transfer,
      messageId,
      offer: { name: file.name, size: file.size, mime: file.type, sha256: file.sha256 },
      received: 0,
      nextIndex: 0,
      hash: new Sha256(),
      pending: [],
      pendingBytes: 0,
      parts: [],
      percent: 0,
      lastAt: chat.clock.now(),
      timer: undefined,
      finished,
      finish,
    };
    this.downloads.set(transferKey(peerId, transfer), download);
    this.setFile(messageId, { state: 'receiving', progress: 0, failure: undefined });
    this.watchIdle(download);
    if (file.size === 0) this.complete(download);
    return finished;
  }

  async cancel(messageId: string): Promise<ChatMessage> {
    const entry = this.chat.log.get(messageId);
    if (!entry?.message.file) throw unavailableError();
    const download = this.downloadOf(messageId);
    if (download) {
      this.stop(download.peerId, download.transfer, 'cancel');
      this.end(download, { state: 'offered', progress: 0 });
    }
    return this.chat.log.get(messageId)?.message ?? entry.message;
  }

  /** A file frame from a peer, or (with `item`) a file offer it relayed in its history. */
  take(peerId: string, data: Record<string, unknown>, item?: HistoryItem): void {
    if (item) {
      this.takeRelayed(peerId, data, item);
      return;
    }
    const buckets = this.bucketsOf(peerId);
    if (!(data.op === 'offer' ? buckets.offers : buckets.requests).take()) {
      this.chat.drop(peerId, 'rate-limited');
      return;
    }
    const frame = validateFileFrame(data);
    if (!frame) {
      this.chat.drop(peerId, 'malformed');
      return;
    }
    switch (frame.op) {
      case 'offer':
        this.takeOffer(peerId, frame);
        break;
      case 'get':
        this.upload(peerId, frame.id, frame.transfer);
        break;
      case 'stop':
        this.takeStop(peerId, frame.transfer, frame.reason);
        break;
    }
  }

  /** A chunk of a file we asked a peer for. */
  takeChunk(peerId: string, chunk: ChunkFrame, at: number): void {
    const download = this.downloads.get(transferKey(peerId, chunk.transfer));
    if (!download) {
      this.chat.drop(peerId, 'unknown-transfer');
      return;
    }
    const { offer } = download;
    const expected = Math.min(CHUNK_PAYLOAD_BYTES, offer.size - download.received);
    if (chunk.index !== download.nextIndex || chunk.payload.byteLength !== expected) {
      // More bytes than offered (an endless stream), fewer, or out of order: the size lied.
      this.chat.drop(peerId, 'bad-chunk');
      this.stop(peerId, download.transfer, 'cancel');
      this.end(download, { state: 'failed', failure: 'bad-size' });
      return;
    }
    download.hash.update(chunk.payload);
    download.pending.push(chunk.payload);
    download.pendingBytes += expected;
    download.received += expected;
    download.nextIndex++;
    download.lastAt = at;
    if (download.pendingBytes >= this.tuning.partBytes) this.gather(download);
    if (download.received === offer.size) {
      this.complete(download);
      return;
    }
    const percent = Math.floor((download.received / offer.size) * 100);
    if (percent !== download.percent) {
      download.percent = percent;
      this.setFile(download.messageId, { progress: download.received / offer.size });
    }
  }

  /** A peer's link opened again: its files can be downloaded. */
  peerReady(peerId: string): void {
    for (const entry of this.filesOf(peerId)) {
      if (entry.message.file?.state === 'unavailable') {
        this.setFile(entry.id, { state: 'offered' });
      }
    }
  }

  /** A peer's link is gone: what it was sent stops, what came from it is unavailable. */
  cancelPeer(peerId: string): void {
    this.buckets.delete(peerId);
    for (const [key, upload] of [...this.uploads]) {
      if (upload.peerId !== peerId) continue;
      upload.isCancelled = true;
      this.uploads.delete(key);
    }
    for (const download of [...this.downloads.values()]) {
      if (download.peerId === peerId) this.end(download, { state: 'unavailable', progress: 0 });
    }
    for (const entry of this.filesOf(peerId)) {
      const state = entry.message.file?.state;
      if (state === 'offered' || state === 'failed') {
        this.setFile(entry.id, { state: 'unavailable', progress: 0 });
      }
    }
  }

  dispose(): void {
    this.isDisposed = true;
    for (const upload of this.uploads.values()) upload.isCancelled = true;
    this.uploads.clear();
    for (const download of this.downloads.values()) this.chat.clock.clearTimeout(download.timer);
    this.downloads.clear();
    this.own.clear();
  }

  private takeOffer(peerId: string, frame: FileOfferFrame): void {
    const { chat } = this;
    if (chat.log.has(frame.id)) {
      chat.drop(peerId, 'duplicate');
      return;
    }
    if (frame.clock > chat.lamport + chat.limits.maxClockLead) {
      chat.drop(peerId, 'clock');
      return;
    }
    chat.insert(this.entry(peerId, frame, this.stateFor(frame, peerId), false), true);
  }

  private takeRelayed(peerId: string, data: Record<string, unknown>, item: HistoryItem): void {
    const offer = validateFileOffer(data);
    if (!offer) {
      this.chat.drop(peerId, 'malformed');
      return;
    }
    if (this.chat.log.has(item.id)) return;
    const frame = { ...offer, id: item.id, clock: item.clock };
    const entry = this.entry(item.from, frame, this.stateFor(offer, item.from), true);
    const isLive = this.chat.isReady(item.from);
    entry.message = {
      ...entry.message,
      // A live peer's name is the one from its own hello, whatever a relay says.
      senderName: isLive ? this.chat.peers.nameOf(item.from) : item.name,
      sentAt: Math.min(item.at, this.chat.wallNow()),
    };
    this.chat.insert(entry, false);
  }

  private stateFor(offer: FileOffer, senderId: string): Partial<ChatFile> {
    if (offer.size > this.maxBytes) return { state: 'failed', failure: 'too-large' };
    return { state: this.chat.isReady(senderId) ? 'offered' : 'unavailable' };
  }

  private entry(
    senderId: string,
    frame: FileOffer & { id: string; clock: number },
    state: Partial<ChatFile>,
    isHistory: boolean,
  ): Entry {
    const { chat } = this;
    const isOwn = senderId === chat.selfId;
    const file: ChatFile = {
      name: frame.name,
      size: frame.size,
      type: frame.mime,
      sha256: frame.sha256,
      state: 'offered',
      progress: 0,
      url: null,
      ...state,
    };
    const { name, size, mime, sha256 } = frame;
    return {
      id: frame.id,
      clock: frame.clock,
      senderId,
      blob: null,
      awaitingFrom: null,
      offer: { name, size, mime, sha256 },
      message: {
        id: frame.id,
        senderId,
        senderName: isOwn ? chat.selfName() : chat.peers.nameOf(senderId),
        isOwn,
        isHistory,
        sentAt: chat.wallNow(),
        kind: 'file',
        file,
        delivery: 'sent',
      },
    };
  }

  private upload(peerId: string, messageId: string, transfer: number): void {
    const file = this.own.get(messageId);
    const key = transferKey(peerId, transfer);
    if (this.uploads.has(key)) {
      this.chat.drop(peerId, 'duplicate');
      return;
    }
    if (!file) {
      this.stop(peerId, transfer, 'unavailable');
      return;
    }
    const count = [...this.uploads.values()].filter((u) => u.peerId === peerId).length;
    if (count >= this.tuning.maxUploadsPerPeer) {
      this.stop(peerId, transfer, 'busy');
      return;
    }
    const upload: Upload = { peerId, transfer, isCancelled: false };
    this.uploads.set(key, upload);
    void this.sendChunks(upload, file)
      // The file could not be read any more (changed or removed on disk since it was offered).
      .catch(() => this.stop(peerId, transfer, 'unavailable'))
      .finally(() => {
        if (this.uploads.get(key) === upload) this.uploads.delete(key);
      });
  }

  /** Sends a file's chunks, reading the next part while the current one goes out. */
  private async sendChunks(upload: Upload, file: Blob): Promise<void> {
    const { peers } = this.chat;
    const { highWaterBytes, pollMs } = this.tuning;
    // Whole chunks per part: every chunk but the file's last is full, as the receiver checks.
    const partBytes = Math.ceil(this.tuning.partBytes / CHUNK_PAYLOAD_BYTES) * CHUNK_PAYLOAD_BYTES;
    const highWater = Math.max(highWaterBytes, CHUNK_FRAME_BYTES);
    const read = (offset: number) =>
      offset < file.size ? file.slice(offset, offset + partBytes).arrayBuffer() : null;
    let next = read(0);
    let index = 0;
    for (let offset = 0; next;) {
      const part = new Uint8Array(await next);
      offset += part.byteLength;
      next = read(offset);
      for (let at = 0; at < part.byteLength; at += CHUNK_PAYLOAD_BYTES) {
        const payload = part.subarray(at, at + CHUNK_PAYLOAD_BYTES);
        const frame = encodeChunk(upload.transfer, index++, payload);
        while (peers.bufferedAmount(upload.peerId) + frame.byteLength > highWater) {
          await new Promise((resolve) => this.chat.clock.setTimeout(() => resolve(null), pollMs));
          if (upload.isCancelled) return;
        }
        if (upload.isCancelled || !peers.send(upload.peerId, frame)) return;
      }
    }
  }

  private takeStop(peerId: string, transfer: number, reason: FileStopReason): void {
    const key = transferKey(peerId, transfer);
    if (reason === 'cancel') {
      const upload = this.uploads.get(key);
      if (upload) upload.isCancelled = true;
      this.uploads.delete(key);
      return;
    }
    const download = this.downloads.get(key);
    if (!download) return;
    this.end(
      download,
      reason === 'busy'
        ? { state: 'failed', failure: 'refused' }
        : { state: 'unavailable', progress: 0 },
    );
  }

  private complete(download: Download): void {
    this.gather(download);
    if (download.hash.hex() !== download.offer.sha256) {
      this.chat.drop(download.peerId, 'forged');
      this.end(download, { state: 'failed', failure: 'corrupt' });
      return;
    }
    // Never the offered type: an object URL of `text/html` would open as a page of this origin.
    const blob = new Blob(download.parts, { type: UNKNOWN_FILE_TYPE });
    this.end(download, { state: 'done', progress: 1, url: URL.createObjectURL(blob) });
  }

  /** Moves the chunks received so far into a Blob part, so they leave the JavaScript heap. */
  private gather(download: Download): void {
    if (download.pending.length === 0) return;
    download.parts.push(new Blob(download.pending as BlobPart[]));
    download.pending = [];
    download.pendingBytes = 0;
  }

  private end(download: Download, change: Partial<ChatFile>): void {
    this.chat.clock.clearTimeout(download.timer);
    this.downloads.delete(transferKey(download.peerId, download.transfer));
    download.pending = [];
    download.parts = [];
    const progress = download.received / download.offer.size || 0;
    this.setFile(download.messageId, { progress, ...change });
    download.finish();
  }

  /** Fails a download that has had no chunk for `transferIdleTimeoutMs`. */
  private watchIdle(download: Download): void {
    const { clock, limits } = this.chat;
    const due = download.lastAt + limits.transferIdleTimeoutMs - clock.now();
    download.timer = clock.setTimeout(() => {
      if (this.downloads.get(transferKey(download.peerId, download.transfer)) !== download) return;
      if (clock.now() - download.lastAt < limits.transferIdleTimeoutMs) {
        this.watchIdle(download);
        return;
      }
      this.chat.drop(download.peerId, 'timeout');
      this.stop(download.peerId, download.transfer, 'cancel');
      this.end(download, { state: 'failed', failure: 'timeout' });
    }, due);
  }

  private stop(peerId: string, transfer: number, reason: FileStopReason): void {
    this.chat.peers.send(
      peerId,
      encodeFileFrame({ v: PROTOCOL_VERSION, type: 'file', op: 'stop', transfer, reason }),
    );
  }

  private async hash(file: Blob): Promise<string> {
    const hash = new Sha256();
    for (let offset = 0; offset < file.size; offset += this.tuning.partBytes) {
      const part = file.slice(offset, offset + this.tuning.partBytes);
      hash.update(new Uint8Array(await part.arrayBuffer()));
    }
    return hash.hex();
  }

  private setFile(id: string, change: Partial<ChatFile>): void {
    const file = this.chat.log.get(id)?.message.file;
    if (file) this.chat.update(id, { file: { ...file, ...change } });
  }

  private downloadOf(messageId: string): Download | undefined {
    return [...this.downloads.values()].find((download) => download.messageId === messageId);
  }

  private filesOf(peerId: string): Entry[] {
    return this.chat.log.entries.filter((entry) => entry.senderId === peerId && entry.message.file);
  }

  private bucketsOf(peerId: string): { offers: TokenBucket; requests: TokenBucket } {
    let buckets = this.buckets.get(peerId);
    if (!buckets) {
      buckets = {
        offers: this.bucket(this.tuning.offerRate),
        requests: this.bucket(this.tuning.requestRate),
      };
      this.buckets.set(peerId, buckets);
    }
    return buckets;
  }

  private bucket({ perSecond, burst }: { perSecond: number; burst: number }): TokenBucket {
    return new TokenBucket(perSecond, burst, () => this.chat.clock.now());
  }
}

function unavailableError(): RoomError {
  return chatError('file-unavailable', 'This file cannot be downloaded (its sender is not here).');
}

function transferKey(peerId: string, transfer: number): string {
  return `${transfer}\u0000${peerId}`;
}
