// The transfers chunk: pictures (and, later, files) sent and received as binary chunks over the
// data channels. `TransferGate` loads it when the first picture is sent or announced.
import type { ChatPictureFrame, ChunkFrame } from '../protocol/chat-messages.js';
import { sniffImageType } from './image-sniff.js';
import { pictureOffer, PictureReceiver, PictureSender } from './picture-transfer.js';
import type { OutgoingPicture, TransferHost, Transfers } from './transfer-gate.js';

export { checkImage } from './image-sniff.js';

/** The chat's transfers: a sender and a receiver over the host's channels and limits. */
export function createTransfers(host: TransferHost): Transfers {
  return new ChunkTransfers(host);
}

class ChunkTransfers implements Transfers {
  readonly sniffImageType = sniffImageType;
  private readonly sender: PictureSender;
  private readonly receiver: PictureReceiver;
  private transferCounter = 0;

  constructor(private readonly host: TransferHost) {
    const { limits, peers, clock } = host;
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
    const outcome = this.receiver.handleChunk(peerId, chunk, at);
    if (outcome !== 'ok') this.host.drop(peerId, outcome);
    else this.host.chunkArrived(peerId);
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

  cancelPeer(peerId: string): void {
    this.sender.cancelPeer(peerId);
    this.receiver.cancelPeer(peerId);
  }

  dispose(): void {
    this.sender.dispose();
    this.receiver.dispose();
  }

  private progress(id: string, progress: number): void {
    this.host.updatePicture(id, { progress });
  }
}
