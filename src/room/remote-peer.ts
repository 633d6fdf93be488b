import { decodeMessage, encodeMessage, type HelloMessage } from '../protocol/messages.js';
import type { PeerLink } from '../transport/transport.js';
import { Emitter } from '../util/emitter.js';
import type { Participant } from './participant.js';

/** How long a peer connection may stay `disconnected` before the peer is taken for gone. */
export const DISCONNECTED_GRACE_MS = 5_000;

export interface RemotePeerEvents {
  /** The first hello arrived: the peer is a participant now. */
  ready: void;
  /** Name, media state or stream changed. */
  update: void;
  /** The peer left (`bye`) or its link died. Fires once. */
  gone: { isDeparture: boolean };
}

/** One remote participant: its link, what it told us about itself, and its stream. */
export class RemotePeer extends Emitter<RemotePeerEvents> {
  private hello: HelloMessage | null = null;
  private stream: MediaStream | null = null;
  private disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  private isGone = false;
  /** Messages that failed validation, for diagnostics. */
  droppedMessages = 0;

  constructor(
    readonly link: PeerLink,
    private readonly ownHello: () => HelloMessage,
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
    link.on('close', () => this.end(false));
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
    };
  }

  /** Tells the peer our current name and media state. */
  sendHello(): void {
    this.link.send(encodeMessage(this.ownHello()));
  }

  /** Says goodbye and closes the link. */
  leave(): void {
    this.link.send(encodeMessage({ v: 1, type: 'bye' }));
    this.end(true);
  }

  /** Closes the link without a goodbye (a duplicate link, or a room being torn down). */
  close(): void {
    this.end(false);
  }

  private handleMessage(raw: unknown): void {
    const message = decodeMessage(raw);
    if (!message) {
      this.droppedMessages++;
      return;
    }
    if (message.type === 'bye') {
      this.end(true);
      return;
    }
    const isFirst = this.hello === null;
    this.hello = message;
    this.emit(isFirst ? 'ready' : 'update', undefined);
  }

  private handleState(state: RTCPeerConnectionState): void {
    clearTimeout(this.disconnectedTimer);
    if (state === 'failed' || state === 'closed') this.end(false);
    else if (state === 'disconnected') {
      this.disconnectedTimer = setTimeout(() => this.end(false), DISCONNECTED_GRACE_MS);
    }
  }

  private end(isDeparture: boolean): void {
    if (this.isGone) return;
    this.isGone = true;
    clearTimeout(this.disconnectedTimer);
    this.link.close();
    this.emit('gone', { isDeparture });
    this.removeAllListeners();
  }
}
