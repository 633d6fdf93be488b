// What travels in binary chunks (pictures now, files later) is a chunk of its own, loaded when a
// visitor first sends a picture or a peer first announces one. Until it has loaded, what peers
// send for it waits here in arrival order, within the caps of unfinished transfers.
import {
  CHUNK_FRAME_BYTES,
  type ChatPictureFrame,
  type ChunkFrame,
  type ImageType,
} from '../protocol/chat-messages.js';
import type { Clock } from '../util/clock.js';
import type { ChatLimits, ChatPeers, ChatPicture, DropReason } from './chat-types.js';

/** What the transfers chunk is given of the chat. */
export interface TransferHost {
  readonly limits: ChatLimits;
  readonly peers: ChatPeers;
  readonly clock: Clock;
  updatePicture(id: string, change: Partial<ChatPicture>): void;
  /** A picture's bytes arrived in full. */
  pictureArrived(id: string, blob: Blob): void;
  drop(peerId: string, reason: DropReason): void;
  /** A chunk came from a peer: its relayed pictures are still coming. */
  chunkArrived(peerId: string): void;
}

/** A picture to send: the announcement is made of these, the chunks of `bytes`. */
export interface OutgoingPicture {
  id: string;
  clock: number;
  type: ImageType;
  /** A Blob is read only when its turn comes. */
  bytes: Uint8Array | Blob;
}

/** The transfers chunk at work, once loaded. */
export interface Transfers {
  /** Declared bytes of unfinished incoming transfers: the most memory they can take. */
  readonly bytesInFlight: number;
  /** The picture type the bytes start with, or null (see image-sniff.ts). */
  sniffImageType(bytes: Uint8Array): ImageType | null;
  /** Starts the transfer a peer announced at `at` (by the host's clock), or refuses it. */
  receive(peerId: string, frame: ChatPictureFrame, at: number): void;
  /** Takes a chunk that arrived at `at`. */
  takeChunk(peerId: string, chunk: ChunkFrame, at: number): void;
  /**
   * Sends a picture to each peer after what is queued for it; resolves true when it reached at
   * least one in full. With `showsProgress`, the picture's `progress` follows the sending (an own
   * message's), up to 1 at the end.
   */
  send(
    peerIds: readonly string[],
    picture: OutgoingPicture,
    showsProgress?: boolean,
  ): Promise<boolean>;
  /** Stops everything to and from a peer (it left). */
  cancelPeer(peerId: string): void;
  dispose(): void;
}

/** The chunk's module. */
export type TransfersModule = typeof import('./transfers.js');

/** Loads the transfers chunk, by a relative `import()`. */
export const loadTransfers = (): Promise<TransfersModule> => import('./transfers.js');

/** What arrived while the chunk loaded, handed over once it has (or told it will not be). */
type Waiting = (transfers: Transfers | null) => void;

/** Loads the transfers chunk on demand and hands it what arrived meanwhile, in arrival order. */
export class TransferGate {
  private transfers: Transfers | null = null;
  private loading: Promise<Transfers | null> | null = null;
  /** Every peer's offers, chunks and departures in one list: the caps they share see them in order. */
  private waiting: Waiting[] = [];
  private readonly waitingBytes = new Map<string, number>();
  private waitingTotal = 0;

  constructor(
    private readonly host: TransferHost,
    private readonly loadChunk: () => Promise<TransfersModule> = loadTransfers,
  ) {}

  /** Declared bytes of unfinished transfers; while the chunk loads, the bytes waiting for it. */
  get bytesInFlight(): number {
    return this.transfers?.bytesInFlight ?? this.waitingTotal;
  }

  /**
   * The loaded chunk, or null when it could not be loaded. A load that
   * takes longer than a transfer may stall counts as failed, and what waited for it fails (its
   * pictures show `refused`); a failed load is tried again at the next call.
   */
  load(): Promise<Transfers | null> {
    const { clock, limits } = this.host;
    this.loading ??= new Promise<TransfersModule | null>((resolve) => {
      const timer = clock.setTimeout(() => resolve(null), limits.transferIdleTimeoutMs);
      this.loadChunk()
        .then(resolve, () => resolve(null))
        .finally(() => clock.clearTimeout(timer));
    }).then((module) => {
      const transfers = module?.createTransfers(this.host) ?? null;
      this.transfers = transfers;
      if (!transfers) this.loading = null;
      const waiting = this.waiting;
      this.clearWaiting();
      for (const handOver of waiting) handOver(transfers);
      return transfers;
    });
    return this.loading;
  }

  /** A transfer a peer announced (its message is in the chat): started, or kept for the chunk. */
  receive(peerId: string, frame: ChatPictureFrame): void {
    const at = this.host.clock.now();
    if (this.transfers) {
      this.transfers.receive(peerId, frame, at);
      return;
    }
    this.waiting.push((transfers) => {
      if (transfers) transfers.receive(peerId, frame, at);
      else this.host.updatePicture(frame.id, { failed: 'refused' });
    });
    void this.load();
  }

  /** A chunk from a peer: handed on, or kept for the chunk while it loads. */
  takeChunk(peerId: string, chunk: ChunkFrame): void {
    const { clock, limits } = this.host;
    const at = clock.now();
    if (this.transfers) {
      this.transfers.takeChunk(peerId, chunk, at);
      return;
    }
    const own = this.waitingBytes.get(peerId) ?? 0;
    if (!this.loading) {
      // Only an announcement starts a load: with none waiting, no transfer has this chunk.
      this.host.drop(peerId, 'unknown-transfer');
    } else if (
      // Each waiting chunk counts as a whole frame, so a flood of small ones is bounded too.
      own + CHUNK_FRAME_BYTES > limits.maxBytesInFlightPerPeer ||
      this.waitingTotal + CHUNK_FRAME_BYTES > limits.maxBytesInFlight
    ) {
      this.host.drop(peerId, 'busy');
    } else {
      this.waitingBytes.set(peerId, own + CHUNK_FRAME_BYTES);
      this.waitingTotal += CHUNK_FRAME_BYTES;
      this.waiting.push((transfers) => transfers?.takeChunk(peerId, chunk, at));
    }
  }

  /** A peer's link is gone: its transfers end, in their turn for what still waits. */
  cancelPeer(peerId: string): void {
    if (this.transfers) this.transfers.cancelPeer(peerId);
    else if (this.loading) this.waiting.push((transfers) => transfers?.cancelPeer(peerId));
  }

  /** Frees what waits; a load still under way ends unused (a closed chat takes no frames). */
  dispose(): void {
    this.clearWaiting();
    this.transfers?.dispose();
  }

  private clearWaiting(): void {
    this.waiting = [];
    this.waitingBytes.clear();
    this.waitingTotal = 0;
  }
}
