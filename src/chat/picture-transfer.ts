// Pictures travel as numbered binary chunks after a `picture` frame announcing their size.
// The sender never lets a channel's queue grow past a high-water mark, so text (sent at once)
// waits behind at most that much picture data. The receiver trusts nothing the peer declared:
// it reserves the declared size against per-peer and total caps before accepting a transfer,
// checks every chunk's index and size and the first bytes' type, and drops a stalled transfer.
// Frames queued while this chunk loaded come with the time they arrived: a stall is measured from
// then, as if they had been handled at once.
import {
  CHUNK_FRAME_BYTES,
  CHUNK_PAYLOAD_BYTES,
  encodeChatFrame,
  encodeChunk,
  type ChunkFrame,
  type ImageType,
} from '../protocol/chat-messages.js';
import { PROTOCOL_VERSION } from '../protocol/messages.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { sniffImageType, SNIFF_BYTES } from './image-sniff.js';

/** What the sender needs of the data channels. */
export interface ChunkChannels {
  send(peerId: string, data: string | ArrayBuffer): boolean;
  bufferedAmount(peerId: string): number;
}

export interface PictureSenderOptions {
  channels: ChunkChannels;
  /** Most bytes left queued on a channel before the next chunk waits. */
  highWaterBytes: number;
  /** How often a waiting transfer looks at the channel's queue again. */
  pollMs: number;
}

/** One picture on its way to one peer. */
export interface OutgoingPicture {
  transfer: number;
  /** The encoded `picture` frame, sent right before the first chunk. */
  offer: string;
  /** The picture; a Blob is read only when its turn comes. */
  bytes: Uint8Array | Blob;
  /** Called after each chunk with the bytes handed to the channel so far. */
  onProgress?: (sentBytes: number) => void;
}

interface OutgoingJob {
  picture: OutgoingPicture;
  isCancelled: boolean;
  resolve: (isSent: boolean) => void;
}

/** Sends pictures to each peer one after another, with back-pressure. */
export class PictureSender {
  private readonly queues = new Map<string, OutgoingJob[]>();
  private readonly highWaterBytes: number;

  constructor(private readonly options: PictureSenderOptions) {
    this.highWaterBytes = Math.max(options.highWaterBytes, CHUNK_FRAME_BYTES);
  }

  /**
   * Queues a picture for a peer. Resolves true once every chunk is on the channel, false when
   * the transfer was cancelled or the channel closed.
   */
  send(peerId: string, picture: OutgoingPicture): Promise<boolean> {
    return new Promise((resolve) => {
      const job: OutgoingJob = { picture, isCancelled: false, resolve };
      const queue = this.queues.get(peerId);
      if (queue) {
        queue.push(job);
        return;
      }
      const fresh = [job];
      this.queues.set(peerId, fresh);
      void this.pump(peerId, fresh);
    });
  }

  /** Stops everything queued for a peer (it left). */
  cancelPeer(peerId: string): void {
    const queue = this.queues.get(peerId);
    if (!queue) return;
    this.queues.delete(peerId);
    for (const job of queue.splice(0)) {
      job.isCancelled = true;
      job.resolve(false);
    }
  }

  /** Stops every transfer. */
  dispose(): void {
    for (const peerId of [...this.queues.keys()]) this.cancelPeer(peerId);
  }

  private async pump(peerId: string, queue: OutgoingJob[]): Promise<void> {
    while (queue.length > 0) {
      const job = queue[0];
      const isSent = await this.sendChunks(peerId, job);
      if (queue[0] === job) queue.shift();
      job.resolve(isSent);
    }
    if (this.queues.get(peerId) === queue) this.queues.delete(peerId);
  }

  private async sendChunks(peerId: string, job: OutgoingJob): Promise<boolean> {
    const { channels, pollMs } = this.options;
    const { transfer, offer, onProgress } = job.picture;
    const bytes =
      job.picture.bytes instanceof Blob
        ? new Uint8Array(await job.picture.bytes.arrayBuffer())
        : job.picture.bytes;
    if (job.isCancelled || !channels.send(peerId, offer)) return false;
    for (let index = 0, offset = 0; offset < bytes.byteLength; index++) {
      const payload = bytes.subarray(offset, offset + CHUNK_PAYLOAD_BYTES);
      const frame = encodeChunk(transfer, index, payload);
      while (channels.bufferedAmount(peerId) + frame.byteLength > this.highWaterBytes) {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        if (job.isCancelled) return false;
      }
      if (job.isCancelled || !channels.send(peerId, frame)) return false;
      offset += payload.byteLength;
      onProgress?.(offset);
    }
    return true;
  }
}

/** The receiver's bounds; see `DEFAULT_CHAT_LIMITS` in chat-room.ts for the values. */
export interface ReceiverLimits {
  maxImageBytes: number;
  /** Most declared bytes of unfinished transfers from one peer. */
  maxBytesPerPeer: number;
  /** Most declared bytes of unfinished transfers from everyone. */
  maxBytesTotal: number;
  maxTransfersPerPeer: number;
  /** A transfer with no chunk for this long is dropped. */
  idleTimeoutMs: number;
  /** The stall timers' clock (default the page's). */
  clock?: Clock;
}

/** Why a started transfer ended without a picture. */
export type IncomingFailure = 'not-an-image' | 'bad-chunk' | 'timeout' | 'peer-gone';

export interface PictureReceiverHandlers {
  progress(messageId: string, fraction: number): void;
  /** The bytes arrived in full; `blob` has the type the first bytes proved. */
  complete(messageId: string, blob: Blob): void;
  fail(peerId: string, messageId: string, reason: IncomingFailure): void;
}

/** A transfer is refused before it starts for one of these. */
export type StartRefusal = 'too-large' | 'busy' | 'duplicate-transfer';

/** What became of one chunk. */
export type ChunkOutcome = 'ok' | 'unknown-transfer' | 'bad-chunk' | 'not-an-image';

interface IncomingTransfer {
  peerId: string;
  transfer: number;
  messageId: string;
  type: ImageType;
  size: number;
  received: number;
  nextIndex: number;
  chunks: Uint8Array<ArrayBuffer>[];
  /** When it was announced or its last chunk came. */
  lastAt: number;
  timer: TimerHandle;
}

/** Reassembles pictures from chunks inside fixed memory bounds, whatever peers send. */
export class PictureReceiver {
  private readonly transfers = new Map<string, IncomingTransfer>();
  private reserved = 0;
  private readonly clock: Clock;

  constructor(
    private readonly limits: ReceiverLimits,
    private readonly handlers: PictureReceiverHandlers,
  ) {
    this.clock = limits.clock ?? systemClock;
  }

  /** Declared bytes of unfinished transfers: the most memory they can take. */
  get bytesInFlight(): number {
    return this.reserved;
  }

  /** Accepts a transfer announced by a peer (at `at`, by the clock), or says why not. */
  start(
    peerId: string,
    transfer: number,
    picture: { messageId: string; type: ImageType; size: number },
    at = this.clock.now(),
  ): StartRefusal | null {
    this.expire(at);
    const { maxImageBytes, maxBytesPerPeer, maxBytesTotal, maxTransfersPerPeer } = this.limits;
    if (picture.size > maxImageBytes) return 'too-large';
    const key = transferKey(peerId, transfer);
    if (this.transfers.has(key)) return 'duplicate-transfer';
    const own = [...this.transfers.values()].filter((t) => t.peerId === peerId);
    const ownBytes = own.reduce((sum, t) => sum + t.size, 0);
    if (
      own.length >= maxTransfersPerPeer ||
      ownBytes + picture.size > maxBytesPerPeer ||
      this.reserved + picture.size > maxBytesTotal
    ) {
      return 'busy';
    }
    this.reserved += picture.size;
    this.transfers.set(key, {
      peerId,
      transfer,
      ...picture,
      received: 0,
      nextIndex: 0,
      chunks: [],
      lastAt: at,
      timer: this.idleTimer(key, at),
    });
    return null;
  }

  /** Takes one chunk from a peer (that arrived at `at`, by the clock). */
  handleChunk(peerId: string, chunk: ChunkFrame, at = this.clock.now()): ChunkOutcome {
    this.expire(at);
    const key = transferKey(peerId, chunk.transfer);
    const transfer = this.transfers.get(key);
    if (!transfer) return 'unknown-transfer';
    const expected = Math.min(CHUNK_PAYLOAD_BYTES, transfer.size - transfer.received);
    if (chunk.index !== transfer.nextIndex || chunk.payload.byteLength !== expected) {
      this.end(key, 'bad-chunk');
      return 'bad-chunk';
    }
    if (
      chunk.index === 0 &&
      sniffImageType(chunk.payload.subarray(0, SNIFF_BYTES)) !== transfer.type
    ) {
      this.end(key, 'not-an-image');
      return 'not-an-image';
    }
    transfer.chunks.push(chunk.payload);
    transfer.received += expected;
    transfer.nextIndex++;
    this.clock.clearTimeout(transfer.timer);
    if (transfer.received < transfer.size) {
      transfer.lastAt = at;
      transfer.timer = this.idleTimer(key, at);
      this.handlers.progress(transfer.messageId, transfer.received / transfer.size);
      return 'ok';
    }
    const blob = new Blob(transfer.chunks, { type: transfer.type });
    this.release(key);
    this.handlers.complete(transfer.messageId, blob);
    return 'ok';
  }

  /** Drops every unfinished transfer from a peer (it left). */
  cancelPeer(peerId: string): void {
    for (const [key, transfer] of [...this.transfers]) {
      if (transfer.peerId === peerId) this.end(key, 'peer-gone');
    }
  }

  /** Drops everything, without telling anyone. */
  dispose(): void {
    for (const key of [...this.transfers.keys()]) this.release(key);
  }

  private idleTimer(key: string, since: number): TimerHandle {
    const due = since + this.limits.idleTimeoutMs;
    return this.clock.setTimeout(() => this.end(key, 'timeout'), due - this.clock.now());
  }

  /** Ends the transfers that stalled before `at`: a queued frame meets them as a live one would. */
  private expire(at: number): void {
    for (const [key, transfer] of [...this.transfers]) {
      if (transfer.lastAt + this.limits.idleTimeoutMs <= at) this.end(key, 'timeout');
    }
  }

  private end(key: string, reason: IncomingFailure): void {
    const transfer = this.release(key);
    if (transfer) this.handlers.fail(transfer.peerId, transfer.messageId, reason);
  }

  private release(key: string): IncomingTransfer | undefined {
    const transfer = this.transfers.get(key);
    if (!transfer) return undefined;
    this.clock.clearTimeout(transfer.timer);
    this.transfers.delete(key);
    this.reserved -= transfer.size;
    transfer.chunks = [];
    return transfer;
  }
}

/** The encoded `picture` frame that announces the chunks of one transfer. */
export function pictureOffer(
  id: string,
  clock: number,
  transfer: number,
  mime: ImageType,
  size: number,
): string {
  return encodeChatFrame({ v: PROTOCOL_VERSION, type: 'picture', id, clock, transfer, mime, size });
}

function transferKey(peerId: string, transfer: number): string {
  return `${transfer}\u0000${peerId}`;
}
