// The transfers chunk: pictures and files sent and received as binary chunks over the data
// channels. `TransferGate` loads it when the first picture or file is sent or announced.
import type { ChatPictureFrame, ChunkFrame, HistoryItem } from '../protocol/chat-messages.js';
import { FILE_TRANSFER_BASE } from '../protocol/file-messages.js';
import { chatError } from './chat-errors.js';
import type { ChatContext, ChatMessage, ChatPicture } from './chat-types.js';
import { ChatFiles } from './file-transfer.js';
import { sniffImageType } from './image-sniff.js';
import { pictureOffer, PictureReceiver, PictureSender } from './picture-transfer.js';
import { closedError, rateLimitedError } from './live-messages.js';
import type { OutgoingPicture, OwnMessages, Transfers } from './transfer-gate.js';

export { checkImage } from './image-sniff.js';
export { MAX_FILE_BYTES } from '../protocol/file-messages.js';

/** The chat's transfers: a sender and a receiver over the host's channels and limits. */
export function createTransfers(host: ChatContext): Transfers {
  return new ChunkTransfers(host);
}

class ChunkTransfers implements Transfers {
  readonly files: ChatFiles;
  private readonly sender: PictureSender;
  private readonly receiver: PictureReceiver;
  private transferCounter = 0;

  constructor(private readonly host: ChatContext) {
    const { limits, peers, clock } = host;
    this.files = new ChatFiles(host);
    this.sender = new PictureSender({
      channels: peers,
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
        clock,
      },
      {
        progress: (id, fraction) => host.updatePicture(id, { progress: fraction }),
        complete: (id, blob) => host.pictureArrived(id, blob),
        fail: (peerId, id, reason) => {
          // Chunk-level reasons were counted as the chunk was dropped; a departure is no offence.
          if (reason === 'timeout') host.drop(peerId, 'timeout');
          host.updatePicture(id, {
            failed: reason === 'not-an-image' ? 'not-an-image' : 'incomplete',
          });
        },
      },
    );
  }

  get bytesInFlight(): number {
    return this.receiver.bytesInFlight;
  }

  receive(peerId: string, frame: ChatPictureFrame, at: number): void {
    const refusal = this.receiver.start(
      peerId,
      frame.transfer,
      { messageId: frame.id, type: frame.mime, size: frame.size },
      at,
    );
    if (refusal === null) return;
    this.host.drop(
      peerId,
      refusal === 'busy' ? 'busy' : refusal === 'too-large' ? 'too-large' : 'malformed',
    );
    this.host.updatePicture(frame.id, { failed: 'refused' });
  }

  takeChunk(peerId: string, chunk: ChunkFrame, at: number): void {
    if (chunk.transfer >= FILE_TRANSFER_BASE) {
      this.files.takeChunk(peerId, chunk, at);
      return;
    }
    const outcome = this.receiver.handleChunk(peerId, chunk, at);
    if (outcome !== 'ok') this.host.drop(peerId, outcome);
    else this.host.chunkArrived(peerId);
  }

  async sendImage(file: Blob, own: OwnMessages): Promise<ChatMessage> {
    const { host } = this;
    const maxBytes = host.limits.maxImageBytes;
    const tooLarge = () => chatError('image-too-large', `A picture has at most ${maxBytes} bytes.`);
    if (file.size > maxBytes) throw tooLarge();
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (own.isClosed()) throw closedError();
    if (bytes.byteLength > maxBytes) throw tooLarge();
    const type = sniffImageType(bytes);
    if (!type) {
      throw chatError('image-unsupported', 'Only PNG, JPEG, GIF and WebP pictures can be sent.');
    }
    if (!own.takeSendToken()) throw rateLimitedError();
    const blob = new Blob([bytes], { type });
    const id = own.newId();
    const clock = host.lamport + 1;
    const targets = host.peers.ids();
    const picture: ChatPicture = {
      type,
      size: bytes.byteLength,
      url: null,
      progress: targets.length > 0 ? 0 : 1,
    };
    const entry = own.addOwn(id, clock, { kind: 'picture', picture }, blob, targets.length);
    const isSent = await this.send(targets, { id, clock, type, bytes }, true);
    if (own.isClosed()) throw closedError();
    // Every channel closed before the offer went out: it waits for the sync like any pending one.
    if (targets.length > 0 && !isSent) host.update(id, { delivery: 'pending' });
    return host.log.get(id)?.message ?? entry.message;
  }

  async send(
    peerIds: readonly string[],
    { id, clock, type, bytes }: OutgoingPicture,
    showsProgress = false,
  ): Promise<boolean> {
    const size = bytes instanceof Blob ? bytes.size : bytes.byteLength;
    const sent = new Map<string, number>();
    const results = await Promise.all(
      peerIds.map((peerId) => {
        this.transferCounter = (this.transferCounter + 1) >>> 0;
        const transfer = this.transferCounter;
        return this.sender.send(peerId, {
          transfer,
          offer: pictureOffer(id, clock, transfer, type, size),
          bytes,
          onProgress: (sentBytes) => {
            if (!showsProgress) return;
            sent.set(peerId, sentBytes);
            const sum = [...sent.values()].reduce((a, b) => a + b, 0);
            this.progress(id, Math.min(1, sum / (size * peerIds.length)));
          },
        });
      }),
    );
    if (showsProgress) this.progress(id, 1);
    return results.includes(true);
  }

  takeFile(peerId: string, data: Record<string, unknown>, item?: HistoryItem): void {
    this.files.take(peerId, data, item);
  }

  peerReady(peerId: string): void {
    this.files.peerReady(peerId);
  }

  cancelPeer(peerId: string): void {
    this.sender.cancelPeer(peerId);
    this.receiver.cancelPeer(peerId);
    this.files.cancelPeer(peerId);
  }

  dispose(): void {
    this.sender.dispose();
    this.receiver.dispose();
    this.files.dispose();
  }

  private progress(id: string, progress: number): void {
    this.host.updatePicture(id, { progress });
  }
}
