import { decodeMessage, encodeMessage, type HelloMessage } from '../protocol/messages.js';
import type { PeerLink } from '../transport/transport.js';
import { Emitter } from '../util/emitter.js';
import { readNetworkPath, type NetworkPath } from './connection-stats.js';
import type { Participant } from './participant.js';

/** How long a peer connection may stay `disconnected` before the peer is taken for gone. */
export const DISCONNECTED_GRACE_MS = 5_000;

/** How long a new link may take to carry the peer's hello before it counts as failed. */
export const CONNECT_TIMEOUT_MS = 15_000;

/** Why a remote peer is gone: it said goodbye, its connection failed, or its link was closed. */
export type GoneReason = 'left' | 'failed' | 'closed';

export interface RemotePeerEvents {
  /** The first hello arrived: the peer is a participant now. */
  ready: void;
  /** Name, media state or stream changed. */
  update: void;
  /** The peer left (`bye`) or its link died. Fires once. */
  gone: GoneReason;
}

/** One remote participant: its link, what it told us about itself, and its stream. */
export class RemotePeer extends Emitter<RemotePeerEvents> {
  private hello: HelloMessage | null = null;
  private stream: MediaStream | null = null;
  private path: NetworkPath | null = null;
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly connectTimer: ReturnType<typeof setTimeout>;
  private isGone = false;
  /** Messages that failed validation, for diagnostics. */
  droppedMessages = 0;
  /** This link's safety code, set by the session once its certificates are known. */
  safetyCode: string | null = null;

  /**
   * @param ownHello what to tell the peer about us
   * @param takeOther gets every frame the control protocol does not know (chat); returns
   *   whether it took it, else the frame counts as dropped
   */
  constructor(
    readonly link: PeerLink,
    private readonly ownHello: () => HelloMessage,
    private readonly takeOther: (peerId: string, raw: unknown) => boolean = () => false,
  ) {
    super();
    link.on('open', () => this.link.send(encodeMessage(this.ownHello())));
    link.on('message', (raw) => this.handleMessage(raw));
    link.on('stream', (stream) => {
      if (this.stream === stream) return;
      this.stream = stream;
      if (this.hello) this.emit('update', undefined);
    });
    link.on('state', (state) => this.handleState(state));
    // A link that ends before it ever carried a hello is a failed attempt to connect.
    link.on('close', () => this.end(this.isReady ? 'closed' : 'failed'));
    this.connectTimer = setTimeout(() => {
      if (!this.isReady) this.end('failed');
    }, CONNECT_TIMEOUT_MS);
  }

  get id(): string {
    return this.link.remoteId;
  }

  get isReady(): boolean {
    return this.hello !== null;
  }

  toParticipant(): Participant {
    return {
      id: this.id,
      name: this.hello?.name ?? '',
      isLocal: false,
      hasAudio: this.hello?.audio ?? false,
      hasVideo: this.hello?.video ?? false,
      stream: this.stream,
      safetyCode: this.safetyCode,
      connection: {
        state: this.isReady ? 'connected' : 'connecting',
        candidateType: this.path?.candidateType ?? null,
        roundTripMs: this.path?.roundTripMs ?? null,
      },
    };
  }

  /** Re-reads the network path from the connection's statistics; true when it changed. */
  async refreshPath(): Promise<boolean> {
    const report = await this.link.getStats().catch(() => null);
    const path = report ? readNetworkPath(report) : null;
    if (!path || this.isGone) return false;
    const changed =
      path.candidateType !== this.path?.candidateType ||
      path.roundTripMs !== this.path?.roundTripMs;
    this.path = path;
    return changed;
  }

  /** Tells the peer our current name and media state. */
  sendHello(): void {
    this.link.send(encodeMessage(this.ownHello()));
  }

  /** Says goodbye and closes the link. */
  leave(): void {
    this.link.send(encodeMessage({ v: 1, type: 'bye' }));
    this.end('left');
  }

  /** Closes the link without a goodbye (a duplicate link, or a room being torn down). */
  close(): void {
    this.end('closed');
  }

  private handleMessage(raw: unknown): void {
    const message = decodeMessage(raw);
    if (!message) {
      if (!this.takeOther(this.id, raw)) this.droppedMessages++;
      return;
    }
    if (message.type === 'bye') {
      this.end('left');
      return;
    }
    const isFirst = this.hello === null;
    this.hello = message;
    this.emit(isFirst ? 'ready' : 'update', undefined);
  }

  private handleState(state: RTCPeerConnectionState): void {
    clearTimeout(this.disconnectedTimer);
    if (state === 'failed') this.end('failed');
    else if (state === 'closed') this.end('closed');
    else if (state === 'disconnected') {
      this.disconnectedTimer = setTimeout(() => this.end('failed'), DISCONNECTED_GRACE_MS);
    }
  }

  private end(reason: GoneReason): void {
    if (this.isGone) return;
    this.isGone = true;
    clearTimeout(this.disconnectedTimer);
    clearTimeout(this.connectTimer);
    this.link.close();
    this.emit('gone', reason);
    this.removeAllListeners();
  }
}
