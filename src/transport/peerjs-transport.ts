import { Peer, type MediaConnection, type PeerError } from 'peerjs';
import { RoomError, TokenExpiredError, type RoomErrorCode } from '../errors.js';
import type { VideoEncoding } from '../media/encoding-policy.js';
import { JitteredBackOff, type ReconnectPolicy } from '../room/reconnect-policy.js';
import { Emitter } from '../util/emitter.js';
import { isRecord } from '../util/is-record.js';
import { afterCandidateBurst } from './candidate-burst.js';
import type {
  PeerLink,
  PeerLinkEvents,
  PeerTransport,
  PeerTransportEvents,
  TransportOptions,
} from './transport.js';

/** Marks our calls so a plain PeerJS client that dials us is told apart and refused. */
const LINK_METADATA_KEY = 'rtcRoomLink';

/**
 * Our data channel rides on the call's own peer connection, beside the channel PeerJS opens
 * there to notice a remote close (stream 0 or 1). Both ends create it negotiated, with this
 * stream ID: it needs no offer of its own and no second connection, and PeerJS never sees it.
 */
const CHANNEL = { label: 'rtc-room', id: 5 } as const;

const PEER_ERROR_CODES: Record<string, RoomErrorCode> = {
  'browser-incompatible': 'unsupported-browser',
  'invalid-id': 'bad-room-id',
  'invalid-key': 'bad-server',
  'ssl-unavailable': 'server-unreachable',
  'server-error': 'server-unreachable',
  'socket-error': 'server-unreachable',
  'socket-closed': 'signalling-lost',
  network: 'signalling-lost',
  disconnected: 'signalling-lost',
  'unavailable-id': 'internal',
  'peer-unavailable': 'peer-unreachable',
  webrtc: 'peer-unreachable',
};

/** Messages our server sends in an ERROR frame, mapped to the codes a host page sees. */
const SERVER_MESSAGE_CODES: Record<string, RoomErrorCode> = {
  'room-full': 'room-full',
  'origin-not-allowed': 'unauthorized',
  unauthorized: 'unauthorized',
  'invalid-id': 'bad-room-id',
  // The server's limits: too many sockets from this address, or in all.
  'too-many-connections': 'server-unreachable',
  'too-many-registrations': 'server-unreachable',
  'server-full': 'server-unreachable',
};

/** The room's peers in a frame from our server (`payload.peers` of its OPEN), or null. */
function peersIn(message: unknown): string[] | null {
  const payload = isRecord(message) ? message.payload : null;
  const peers = isRecord(payload) ? payload.peers : null;
  return Array.isArray(peers) ? peers.filter((id): id is string => typeof id === 'string') : null;
}

/** Turns a PeerJS error (a string `type`, or our server's ERROR message) into a RoomError. */
function fromPeerError(error: PeerError<string>): RoomError {
  if (error.message === 'token-expired') return new TokenExpiredError(undefined, { cause: error });
  const code = SERVER_MESSAGE_CODES[error.message] ?? PEER_ERROR_CODES[error.type] ?? 'internal';
  return new RoomError(code, error.message || error.type, { cause: error });
}

/** Marks the call that carries a shared screen, beside the link's camera call. */
const SCREEN_METADATA_KEY = 'screen';

function isScreenCall(media: MediaConnection): boolean {
  const metadata: unknown = media.metadata;
  return isRecord(metadata) && metadata[SCREEN_METADATA_KEY] === true;
}

function linkIdOf(media: MediaConnection): string | null {
  const metadata: unknown = media.metadata;
  if (!isRecord(metadata)) return null;
  const id = metadata[LINK_METADATA_KEY];
  return typeof id === 'string' && id.length <= 64 ? id : null;
}

/** One remote peer over PeerJS: a call, with our data channel on its peer connection. */
class PeerJsLink extends Emitter<PeerLinkEvents> implements PeerLink {
  private channel: RTCDataChannel | null = null;
  /** Our screen, sent to this peer, and theirs, received. */
  private screenOut: MediaConnection | null = null;
  private screenIn: MediaConnection | null = null;
  private isClosed = false;
  readonly described: Promise<void>;
  private markDescribed!: () => void;

  /** An outgoing `media` has its peer connection already; an incoming one gets it on accept. */
  constructor(
    readonly remoteId: string,
    readonly linkId: string,
    readonly isOutgoing: boolean,
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

/** The PeerJS adapter: the only module that imports `peerjs`. */
export class PeerJsTransport extends Emitter<PeerTransportEvents> implements PeerTransport {
  private peer: Peer | null = null;
  private readonly links = new Map<string, PeerJsLink>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectAttempts = 0;
  /** Whether an outage is under way (reported once, however many retries fail). */
  private isSignallingLost = false;
  private lastAttemptAt = 0;
  private readonly reconnectPolicy: ReconnectPolicy;
  private isDestroyed = false;

  constructor(private readonly options: TransportOptions) {
    super();
    this.reconnectPolicy = options.reconnectPolicy ?? new JitteredBackOff();
  }

  get id(): string {
    return this.options.id;
  }

  open(): Promise<readonly string[] | null> {
    const { server, path, key, iceServers, iceTransportPolicy, id, token } = this.options;
    const secure = server.protocol === 'https:';
    const peer = new Peer(id, {
      host: server.hostname,
      port: Number(server.port) || (secure ? 443 : 80),
      path,
      secure,
      key,
      // Never PeerJS's defaults: no public broker, no public TURN with shared credentials.
      // One transport per call, not one per media type until the answer bundles them: a third of
      // the candidates to gather, signal and check (and of the TURN allocations).
      config: { iceServers, iceTransportPolicy, bundlePolicy: 'max-bundle' },
      debug: 0,
      // Ours, not PeerJS's Math.random one: the server binds our ID to it.
      ...(token ? { token: token() } : {}),
    });
    this.peer = peer;
    // Our server names the room's peers in its OPEN frame, which PeerJS reads only the type of.
    // The socket hears each frame after PeerJS has: by `open`'s resolution the list is here.
    let listed: string[] | null = null;
    peer.socket.on('message', (message: unknown) => {
      if (isRecord(message) && message.type === 'OPEN') listed = peersIn(message);
    });
    return new Promise((resolve, reject) => {
      let isOpen = false;
      peer.on('open', () => {
        this.reconnectAttempts = 0;
        if (isOpen) {
          this.isSignallingLost = false;
          this.emit('reconnected', undefined);
          return;
        }
        isOpen = true;
        // Resolved from within PeerJS's handling of the frame; read once the socket has it too.
        queueMicrotask(() => resolve(listed));
      });
      peer.on('error', (error) => {
        const roomError = fromPeerError(error);
        if (!isOpen) {
          reject(roomError);
          this.destroy();
        } else if (error.type === 'peer-unavailable' || error.type === 'webrtc') {
          // Reported per link through its close event.
        } else if (roomError.code !== 'signalling-lost') {
          this.emit('error', roomError);
        }
      });
      peer.on('disconnected', () => {
        if (!isOpen || this.isDestroyed) return;
        // PeerJS says `disconnected` again after every failed retry: one outage, one report.
        if (!this.isSignallingLost) {
          this.isSignallingLost = true;
          this.emit('disconnected', new RoomError('signalling-lost', 'Lost the signalling server'));
        }
        this.scheduleReconnect();
      });
      // Our links are calls: a PeerJS data connection is nobody's.
      peer.on('connection', (data) => data.close());
      peer.on('call', (media) => this.handleIncoming(media));
    });
  }

  dial(remoteId: string, stream: MediaStream): PeerLink {
    const peer = this.requirePeer();
    const linkId = crypto.randomUUID();
    const media = peer.call(remoteId, stream, { metadata: { [LINK_METADATA_KEY]: linkId } });
    return this.createLink(remoteId, linkId, true, media);
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    const config = this.peer?.options.config;
    // PeerJS reads this object whenever it creates a peer connection.
    if (config) config.iceServers = iceServers;
    for (const link of this.links.values()) link.setIceServers(iceServers);
  }

  destroy(): void {
    if (this.isDestroyed) return;
    this.isDestroyed = true;
    clearTimeout(this.reconnectTimer);
    for (const link of [...this.links.values()]) link.close();
    this.peer?.destroy();
    this.peer = null;
    this.removeAllListeners();
  }

  private handleIncoming(media: MediaConnection): void {
    const linkId = linkIdOf(media);
    const existing = linkId ? this.links.get(linkId) : undefined;
    if (isScreenCall(media)) {
      // A screen call belongs to a link with the same peer; alone it is nobody's.
      if (existing?.remoteId === media.peer) existing.attachScreen(media);
      else media.close();
      return;
    }
    // No link ID: a plain PeerJS client, not a visitor. A known one: a second call for a link.
    if (!linkId || existing) {
      media.close();
      return;
    }
    this.emit('incoming', this.createLink(media.peer, linkId, false, media));
  }

  private createLink(
    remoteId: string,
    linkId: string,
    isOutgoing: boolean,
    media: MediaConnection,
  ): PeerJsLink {
    const link = new PeerJsLink(
      remoteId,
      linkId,
      isOutgoing,
      media,
      (closed) => {
        if (this.links.get(closed.linkId) === closed) this.links.delete(closed.linkId);
      },
      (screenLink, stream) =>
        this.requirePeer().call(screenLink.remoteId, stream, {
          metadata: { [LINK_METADATA_KEY]: screenLink.linkId, [SCREEN_METADATA_KEY]: true },
        }),
    );
    this.links.set(linkId, link);
    return link;
  }

  retrySignalling(): void {
    // A hint from a peer, so bounded: at most one early retry per half second.
    if (!this.isSignallingLost || performance.now() - this.lastAttemptAt < 500) return;
    clearTimeout(this.reconnectTimer);
    this.reconnect();
  }

  // Signalling drops do not end calls; reconnect with the same ID, as the policy says.
  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    const delay = this.reconnectPolicy.nextDelayMs(this.reconnectAttempts++);
    this.reconnectTimer = setTimeout(() => this.reconnect(), delay);
  }

  private reconnect(): void {
    const peer = this.peer;
    if (!peer || this.isDestroyed || peer.destroyed || !peer.disconnected) return;
    this.lastAttemptAt = performance.now();
    // The join token may have been renewed since the last registration.
    if (this.options.token) peer.options.token = this.options.token();
    peer.reconnect();
  }

  private requirePeer(): Peer {
    if (!this.peer || this.isDestroyed) throw new RoomError('internal', 'The transport is closed');
    return this.peer;
  }
}

/** Creates the PeerJS transport; the session takes this factory so tests can pass a fake. */
export const createPeerJsTransport = (options: TransportOptions): PeerTransport =>
  new PeerJsTransport(options);
