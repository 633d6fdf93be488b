import type { MediaConnection } from 'peerjs';
import type { VideoEncoding } from '../media/encoding-policy.js';
import { Emitter } from '../util/emitter.js';
import { afterCandidateBurst } from './candidate-burst.js';
import type { PeerLink, PeerLinkEvents } from './transport.js';

/**
 * Our data channel rides on the call's own peer connection, beside the channel PeerJS opens
 * there to notice a remote close (stream 0 or 1). Both ends create it negotiated, with this
 * stream ID: it needs no offer of its own and no second connection, and PeerJS never sees it.
 */
const CHANNEL = { label: 'rtc-room', id: 5 } as const;

function relayOnly(media: MediaConnection): void {
  const connection = media.peerConnection;
  if (connection && connection.signalingState !== 'closed') {
    connection.setConfiguration({ ...connection.getConfiguration(), iceTransportPolicy: 'relay' });
  }
}

/** One remote peer over PeerJS: a call, with our data channel on its peer connection. */
export class PeerJsLink extends Emitter<PeerLinkEvents> implements PeerLink {
  private channel: RTCDataChannel | null = null;
  /** Our screen, sent to this peer, and theirs, received. */
  private screenOut: MediaConnection | null = null;
  private screenIn: MediaConnection | null = null;
  private isClosed = false;
  /** Whether this link's connections gather relay candidates only. */
  private isRelayOnly = false;
  readonly described: Promise<void>;
  private markDescribed!: () => void;

  /** An outgoing `media` has its peer connection already; an incoming one gets it on accept. */
  constructor(
    readonly remoteId: string,
    readonly linkId: string,
    readonly isOutgoing: boolean,
    readonly isReplacement: boolean,
    private readonly media: MediaConnection,
    private readonly onClosed: (link: PeerJsLink) => void,
    private readonly callScreen: (link: PeerJsLink, stream: MediaStream) => MediaConnection,
  ) {
    super();
    this.described = new Promise((resolve) => {
      this.markDescribed = resolve;
    });
    media.on('stream', (stream) => this.emit('stream', stream));
    media.on('close', () => this.close());
    media.on('error', (error) => {
      // PeerJS closes the connection right after ICE fails; say why first.
      if (error.type === 'negotiation-failed') this.emit('state', 'failed');
      this.close();
    });
    if (isOutgoing) this.watchConnection();
  }

  shareScreen(stream: MediaStream | null): void {
    this.screenOut?.close();
    this.screenOut = stream && !this.isClosed ? this.callScreen(this, stream) : null;
    if (this.isRelayOnly && this.screenOut) relayOnly(this.screenOut);
  }

  /**
   * Gathers TURN relay candidates only, on this link's call and its screen calls. Applied right
   * after dialling: PeerJS makes its offer a task later, so nothing has been gathered yet.
   */
  restrictToRelay(): void {
    this.isRelayOnly = true;
    relayOnly(this.media);
  }

  /** The peer's screen call: answered without sending anything back. */
  attachScreen(media: MediaConnection): void {
    if (this.isClosed) {
      media.close();
      return;
    }
    this.screenIn?.close();
    this.screenIn = media;
    media.on('stream', (stream) => {
      if (this.screenIn === media) this.emit('screen', stream);
    });
    const ended = (): void => {
      if (this.screenIn !== media) return;
      this.screenIn = null;
      if (!this.isClosed) this.emit('screen', null);
    };
    media.on('close', ended);
    media.on('error', ended);
    media.answer();
  }

  accept(stream: MediaStream): void {
    if (this.isClosed || this.media.localStream) return;
    this.media.answer(stream);
    this.watchConnection();
  }

  get bufferedAmount(): number {
    return this.channel?.bufferedAmount ?? 0;
  }

  send(message: string | ArrayBuffer): boolean {
    const channel = this.channel;
    if (channel?.readyState !== 'open') return false;
    try {
      // One call per type: TypeScript picks send()'s overload by the narrowed type.
      if (typeof message === 'string') channel.send(message);
      else channel.send(message);
      return true;
    } catch {
      // The channel's buffer is full, or it closed under us: the caller sees a failed send.
      return false;
    }
  }

  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const connection = this.media.peerConnection;
    if (!connection) return;
    const senders = connection.getSenders().filter((sender) => sender.track?.kind === kind);
    const idle = connection
      .getTransceivers()
      .filter((t) => t.receiver.track.kind === kind && !t.sender.track)
      .map((t) => t.sender);
    await Promise.all([...senders, ...idle].map((sender) => sender.replaceTrack(track)));
  }

  async setVideoEncoding(encoding: VideoEncoding): Promise<boolean> {
    const connection = this.media.peerConnection;
    if (!connection || connection.signalingState === 'closed') return false;
    // The video sender may hold no track (camera off): find it by what its transceiver receives.
    const senders = connection
      .getTransceivers()
      .filter((t) => t.receiver.track.kind === 'video' && t.currentDirection !== 'stopped')
      .map((t) => t.sender);
    let applied = false;
    for (const sender of senders) {
      const parameters = sender.getParameters();
      // Empty until the offer and answer are done: nothing to set yet.
      if (!parameters.encodings?.length) continue;
      for (const layer of parameters.encodings) Object.assign(layer, encoding);
      await sender.setParameters(parameters);
      applied = true;
    }
    return applied;
  }

  async getStats(): Promise<RTCStatsReport | null> {
    const connection = this.media.peerConnection;
    return connection ? connection.getStats() : null;
  }

  // The receiver keeps the level of the latest packets: no Web Audio, which a browser may hold
  // back until the visitor touches the page, and no statistics round trip.
  audioLevel(): number | null {
    const receivers = this.media.peerConnection?.getReceivers() ?? [];
    const levels = receivers
      .filter((receiver) => receiver.track.kind === 'audio')
      .flatMap((receiver) => receiver.getSynchronizationSources())
      .map((source) => source.audioLevel ?? 0);
    // Firefox may hold more than one audio receiver for a call; the live one is the loudest.
    return levels.length > 0 ? Math.max(...levels) : null;
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    const connection = this.media.peerConnection;
    if (connection && connection.signalingState !== 'closed') {
      connection.setConfiguration({ ...connection.getConfiguration(), iceServers });
    }
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.markDescribed();
    this.channel?.close();
    this.media.close();
    this.screenOut?.close();
    this.screenIn?.close();
    this.emit('close', undefined);
    this.removeAllListeners();
    this.onClosed(this);
  }

  // Our channel, and the connection's states: PeerJS only reports ICE `failed`; a vanished
  // peer shows up as `disconnected` first, and a TURN server refusing our credentials (with
  // relay only) as a gathering that found nothing.
  private watchConnection(): void {
    const connection = this.media.peerConnection;
    if (!connection) return;
    let hasDescription = false;
    connection.addEventListener('signalingstatechange', () => {
      if (!connection.localDescription || hasDescription) return;
      hasDescription = true;
      // Described once the candidates that follow it are out too: they go out one by one, each
      // held up by work on the page.
      const candidatesOut = afterCandidateBurst(connection);
      // PeerJS sends the description right after setting it, in this task's microtasks. Our
      // channel comes after: made sooner, it would wait on the offer or answer being made. It
      // still opens with the connection, long after, whichever end makes it first.
      setTimeout(() => {
        try {
          if (!this.isClosed) this.openChannel(connection);
        } finally {
          void candidatesOut.then(() => this.markDescribed());
        }
      });
    });
    let candidates = 0;
    connection.addEventListener('icecandidate', (event) => {
      if (event.candidate?.candidate) candidates++;
    });
    connection.addEventListener('icegatheringstatechange', () => {
      if (connection.iceGatheringState === 'complete' && candidates === 0 && !this.isClosed) {
        this.emit('state', 'failed');
      }
    });
    connection.addEventListener('connectionstatechange', () => {
      if (!this.isClosed) this.emit('state', connection.connectionState);
    });
  }

  private openChannel(connection: RTCPeerConnection): void {
    const channel = connection.createDataChannel(CHANNEL.label, {
      negotiated: true,
      id: CHANNEL.id,
    });
    channel.binaryType = 'arraybuffer';
    channel.addEventListener('open', () => this.emit('open', undefined));
    channel.addEventListener('message', (event: MessageEvent<unknown>) =>
      this.emit('message', event.data),
    );
    channel.addEventListener('close', () => this.close());
    this.channel = channel;
  }
}
