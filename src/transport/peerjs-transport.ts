import { Peer, type MediaConnection, type PeerError } from 'peerjs';
import { RoomError, TokenExpiredError, type RoomErrorCode } from '../errors.js';
import { JitteredBackOff, type ReconnectPolicy } from '../room/reconnect-policy.js';
import { parseRoomNotice, type RoomCommand } from '../room/room-protocol.js';
import { Emitter } from '../util/emitter.js';
import { isRecord } from '../util/is-record.js';
import { PeerJsLink } from './peerjs-link.js';
import type {
  DialOptions,
  PeerLink,
  PeerTransport,
  PeerTransportEvents,
  TransportOptions,
} from './transport.js';

/** Marks our calls so a plain PeerJS client that dials us is told apart and refused. */
const LINK_METADATA_KEY = 'rtcRoomLink';

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
  'too-many-knocks': 'server-unreachable',
  // A host's decisions about this visitor: final, never retried.
  removed: 'removed',
  denied: 'denied',
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

/** How long the server may take to answer a probing heartbeat before our socket counts as dead. */
export const PROBE_TIMEOUT_MS = 1_000;

/** Marks a call that replaces the caller's link to us (see `PeerLink.isReplacement`). */
const REPLACES_METADATA_KEY = 'replaces';

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

/** The PeerJS adapter: with its `PeerJsLink`, the only code that imports `peerjs`. */
export class PeerJsTransport extends Emitter<PeerTransportEvents> implements PeerTransport {
  private peer: Peer | null = null;
  private readonly links = new Map<string, PeerJsLink>();
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private reconnectAttempts = 0;
  /** Whether an outage is under way (reported once, however many retries fail). */
  private hasLostSignalling = false;
  private lastAttemptAt = 0;
  /** Whether the server accepted our registration once (`open` resolved). */
  private isRegistered = false;
  /** Whether the socket is being dropped on purpose, for one from a new network. */
  private isDroppingSocket = false;
  /** Whether the next registration is from a network the visitor moved to. */
  private isOnNewNetwork = false;
  /** Whether our server answers probing heartbeats (it names the room's peers in OPEN). */
  private canProbe = false;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly reconnectPolicy: ReconnectPolicy;
  private isDestroyed = false;

  constructor(private readonly options: TransportOptions) {
    super();
    this.reconnectPolicy = options.reconnectPolicy ?? new JitteredBackOff();
  }

  get id(): string {
    return this.options.id;
  }

  get isSignallingLost(): boolean {
    return this.hasLostSignalling;
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
      if (!isRecord(message)) return;
      if (message.type === 'OPEN') {
        listed = peersIn(message);
        this.canProbe ||= listed !== null;
      }
      const notice = message.type === 'ROOM' ? parseRoomNotice(message) : null;
      if (notice) this.emit('notice', notice);
      // Any frame answers a probe: the socket reaches the server.
      clearTimeout(this.probeTimer);
      this.probeTimer = undefined;
    });
    return new Promise((resolve, reject) => {
      peer.on('open', () => {
        this.reconnectAttempts = 0;
        if (this.isRegistered) {
          if (this.hasLostSignalling) {
            this.hasLostSignalling = false;
            this.emit('reconnected', undefined);
          }
          if (this.isOnNewNetwork) {
            this.isOnNewNetwork = false;
            this.emit('network-changed', undefined);
          }
          return;
        }
        this.isRegistered = true;
        // Resolved from within PeerJS's handling of the frame; read once the socket has it too.
        queueMicrotask(() => resolve(listed));
      });
      peer.on('error', (error) => {
        const roomError = fromPeerError(error);
        if (!this.isRegistered) {
          reject(roomError);
          this.destroy();
        } else if (error.type === 'peer-unavailable' || error.type === 'webrtc') {
          // Reported per link through its close event.
        } else if (roomError.code !== 'signalling-lost') {
          this.emit('error', roomError);
          // Removed: coming back would only be refused again.
          if (roomError.code === 'removed') this.destroy();
        }
      });
      peer.on('disconnected', () => {
        if (!this.isRegistered || this.isDestroyed || this.isDroppingSocket) return;
        // PeerJS says `disconnected` again after every failed retry: one outage, one report.
        if (!this.hasLostSignalling) {
          this.hasLostSignalling = true;
          this.emit('disconnected', new RoomError('signalling-lost', 'Lost the signalling server'));
        }
        this.scheduleReconnect();
      });
      // Our links are calls: a PeerJS data connection is nobody's.
      peer.on('connection', (data) => data.close());
      peer.on('call', (media) => this.handleIncoming(media));
    });
  }

  get canRelay(): boolean {
    // PeerJS's copy holds renewed servers (see `setIceServers`).
    const config: RTCConfiguration = this.peer?.options.config ?? this.options;
    const urls = (config.iceServers ?? []).flatMap((server) => [server.urls].flat());
    return config.iceTransportPolicy !== 'relay' && urls.some((url) => /^turns?:/i.test(url));
  }

  dial(
    remoteId: string,
    stream: MediaStream,
    { relayOnly = false, replaces = false }: DialOptions = {},
  ): PeerLink {
    const peer = this.requirePeer();
    const linkId = crypto.randomUUID();
    const metadata = { [LINK_METADATA_KEY]: linkId, [REPLACES_METADATA_KEY]: replaces };
    const media = peer.call(remoteId, stream, { metadata });
    const link = this.createLink(remoteId, linkId, true, replaces, media);
    if (relayOnly) link.restrictToRelay();
    return link;
  }

  sendToServer(command: RoomCommand): boolean {
    const peer = this.peer;
    if (!peer || peer.disconnected || this.isDestroyed) return false;
    peer.socket.send({ type: 'ROOM', payload: command });
    return true;
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
    clearTimeout(this.probeTimer);
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
    const metadata: unknown = media.metadata;
    const replaces = isRecord(metadata) && metadata[REPLACES_METADATA_KEY] === true;
    this.emit('incoming', this.createLink(media.peer, linkId, false, replaces, media));
  }

  private createLink(
    remoteId: string,
    linkId: string,
    isOutgoing: boolean,
    isReplacement: boolean,
    media: MediaConnection,
  ): PeerJsLink {
    const link = new PeerJsLink(
      remoteId,
      linkId,
      isOutgoing,
      isReplacement,
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
    if (!this.hasLostSignalling || performance.now() - this.lastAttemptAt < 500) return;
    clearTimeout(this.reconnectTimer);
    this.reconnect();
  }

  checkSignalling(): void {
    const peer = this.peer;
    const isIdle = this.probeTimer === undefined && !this.hasLostSignalling;
    if (!peer || !this.canProbe || !isIdle || !this.isRegistered || peer.disconnected) return;
    peer.socket.send({ type: 'HEARTBEAT', probe: true });
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      this.registerFromNewNetwork();
    }, PROBE_TIMEOUT_MS);
  }

  // A probe went unanswered: perhaps the visitor is on another network, where a socket from the
  // old one may look open for minutes while nothing gets through (its packets leave from an
  // address that is gone). Register afresh now; the mesh then replaces its links
  // (`network-changed`).
  private registerFromNewNetwork(): void {
    const peer = this.peer;
    if (!peer || this.isDestroyed || peer.destroyed) return;
    this.isOnNewNetwork = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (!peer.disconnected) {
      this.isDroppingSocket = true;
      peer.disconnect();
      this.isDroppingSocket = false;
    }
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
