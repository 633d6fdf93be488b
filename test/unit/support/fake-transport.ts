// Test doubles for the transport: links and a transport the tests drive by hand, and a tiny
// in-memory network that wires two fake transports together. No PeerJS.
import type {
  DialOptions,
  PeerLink,
  PeerLinkEvents,
  PeerTransport,
  PeerTransportEvents,
  TransportFactory,
  TransportOptions,
} from '../../../src/transport/transport.js';
import type { VideoEncoding } from '../../../src/media/encoding-policy.js';
import { Emitter } from '../../../src/util/emitter.js';
import type { PeerMessage } from '../../../src/protocol/messages.js';
import type { RoomCommand, RoomNotice } from '../../../src/room/room-protocol.js';
import { controlMessageOf } from './frames.js';

/** One remote peer as a test sees it: fire its events, read what the session did to it. */
export class FakeLink extends Emitter<PeerLinkEvents> implements PeerLink {
  /** Everything sent on the data channel, in order. */
  readonly sent: Array<string | ArrayBuffer> = [];
  /** What the data channel has queued; set it to test back-pressure. */
  bufferedAmount = 0;
  readonly replacedTracks: Array<{ kind: 'audio' | 'video'; track: MediaStreamTrack | null }> = [];
  readonly iceServerUpdates: RTCIceServer[][] = [];
  acceptedStream: MediaStream | null = null;
  isClosed = false;
  /** Whether it was dialled relay-only. */
  isRelayOnly = false;
  /** Whether it replaces a link the caller had (see `PeerLink.isReplacement`). */
  isReplacement = false;
  /** The other end, when the link belongs to a FakeNetwork. */
  other: FakeLink | null = null;

  /** Resolves when our offer or answer went out: at once, unless the transport holds it. */
  readonly described: Promise<void>;
  /** Sends a held offer or answer. */
  finishDescribing!: () => void;

  constructor(
    readonly remoteId: string,
    readonly isOutgoing: boolean,
    holdsDescription = false,
  ) {
    super();
    this.described = new Promise((resolve) => {
      this.finishDescribing = resolve;
    });
    if (!holdsDescription) this.finishDescribing();
  }

  /** Emits one of the link's events, as the transport would. */
  fire<K extends keyof PeerLinkEvents>(type: K, payload: PeerLinkEvents[K]): void {
    this.emit(type, payload);
  }

  /** The control messages sent so far, decoded. */
  get sentMessages(): PeerMessage[] {
    return this.sent.map(controlMessageOf).filter((m): m is PeerMessage => m !== null);
  }

  /** What this link was last told to send as a shared screen. */
  sharedScreen: MediaStream | null = null;

  shareScreen(stream: MediaStream | null): void {
    this.sharedScreen = stream;
    this.other?.fire('screen', stream);
  }

  accept(stream: MediaStream): void {
    this.acceptedStream = stream;
  }

  send(data: string | ArrayBuffer): boolean {
    if (this.isClosed) return false;
    this.sent.push(data);
    this.other?.fire('message', data);
    return true;
  }

  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    this.replacedTracks.push({ kind, track });
    return Promise.resolve();
  }

  /** Every video encoding the session set, in order. */
  readonly videoEncodings: VideoEncoding[] = [];
  /** What the fake statistics report; set `availableOutgoingBitrate` to play a measured uplink. */
  stats: RTCStatsReport | null = null;

  setVideoEncoding(encoding: VideoEncoding): Promise<boolean> {
    if (this.isClosed) return Promise.resolve(false);
    this.videoEncodings.push(encoding);
    return Promise.resolve(true);
  }

  getStats(): Promise<RTCStatsReport | null> {
    return Promise.resolve(this.stats);
  }

  /** How loud the test makes this peer. */
  level: number | null = null;

  audioLevel(): number | null {
    return this.level;
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.iceServerUpdates.push(iceServers);
  }

  // Like the PeerJS link: `close` fires once, whichever side closed, and reaches the other end.
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.finishDescribing();
    this.emit('close', undefined);
    this.other?.close();
  }
}

/** A transport whose dials and incoming links the test controls. */
export class FakeTransport extends Emitter<PeerTransportEvents> implements PeerTransport {
  readonly dialled: FakeLink[] = [];
  readonly incoming: FakeLink[] = [];
  readonly iceServerUpdates: RTCIceServer[][] = [];
  isDestroyed = false;
  isOpen = false;
  /** How often the session asked to retry the signalling server now. */
  signallingRetries = 0;
  isSignallingLost = false;
  /** Whether new links keep their offer or answer until the test calls `finishDescribing`. */
  holdsDescriptions = false;

  constructor(
    readonly options: TransportOptions,
    private readonly network?: FakeNetwork,
  ) {
    super();
    network?.transports.set(options.id, this);
  }

  get id(): string {
    return this.options.id;
  }

  /**
   * Emits one of the transport's events, as the PeerJS adapter would: a lost or regained
   * signalling server once per change, however often the test says so.
   */
  fire<K extends keyof PeerTransportEvents>(type: K, payload: PeerTransportEvents[K]): void {
    if (type === 'disconnected' || type === 'reconnected') {
      const isLost = type === 'disconnected';
      if (this.isSignallingLost === isLost) return;
      this.isSignallingLost = isLost;
    }
    this.emit(type, payload);
  }

  /** A remote peer dials us; returns its link as the session receives it. */
  ring(remoteId: string, { replaces = false } = {}): FakeLink {
    const link = new FakeLink(remoteId, false, this.holdsDescriptions);
    link.isReplacement = replaces;
    this.incoming.push(link);
    this.emit('incoming', link);
    return link;
  }

  /** The room as the server lists it at registration, or null (a server that does not say). */
  listedAtRegistration: string[] | null = null;

  open(): Promise<readonly string[] | null> {
    this.isOpen = true;
    return Promise.resolve(this.listedAtRegistration);
  }

  /** Whether TURN is configured, so that a relay-only retry could help. */
  canRelay = false;

  dial(
    remoteId: string,
    _stream?: MediaStream,
    { relayOnly = false, replaces = false }: DialOptions = {},
  ): FakeLink {
    const link = new FakeLink(remoteId, true, this.holdsDescriptions);
    link.isRelayOnly = relayOnly;
    link.isReplacement = replaces;
    this.dialled.push(link);
    this.network?.connect(this.id, link);
    return link;
  }

  setIceServers(iceServers: RTCIceServer[]): void {
    this.iceServerUpdates.push(iceServers);
  }

  retrySignalling(): void {
    this.signallingRetries++;
  }

  /** How often the session asked whether the signalling socket still reaches the server. */
  signallingChecks = 0;

  checkSignalling(): void {
    this.signallingChecks++;
  }

  /** Every command sent to the server, in order. */
  readonly commands: RoomCommand[] = [];

  sendToServer(command: RoomCommand): boolean {
    if (this.isDestroyed || this.isSignallingLost) return false;
    this.commands.push(command);
    return true;
  }

  /** The server tells this visitor something about the room. */
  notify(notice: RoomNotice): void {
    this.emit('notice', notice);
  }

  destroy(): void {
    this.isDestroyed = true;
    for (const link of [...this.dialled, ...this.incoming]) link.close();
  }
}

/**
 * Joins fake transports: a dial makes the matching incoming link at the other transport, held
 * until `deliver()` so tests can make two peers dial each other at once; what one end sends
 * arrives at the other as a `message`.
 */
export class FakeNetwork {
  readonly transports = new Map<string, FakeTransport>();
  private pending: Array<{ fromId: string; outgoing: FakeLink }> = [];

  connect(fromId: string, outgoing: FakeLink): void {
    this.pending.push({ fromId, outgoing });
  }

  /**
   * Hands pending dials to their callees: first pairs every link (so closing one end reaches
   * the other), then rings, in dial order or reversed.
   */
  deliver(order: 'dial order' | 'reversed' = 'dial order'): void {
    const rings: Array<() => void> = [];
    for (const { fromId, outgoing } of this.pending.splice(0)) {
      const remote = this.transports.get(outgoing.remoteId);
      if (!remote || outgoing.isClosed) continue;
      const incoming = new FakeLink(fromId, false);
      incoming.isReplacement = outgoing.isReplacement;
      incoming.other = outgoing;
      outgoing.other = incoming;
      remote.incoming.push(incoming);
      rings.push(() => remote.fire('incoming', incoming));
    }
    if (order === 'reversed') rings.reverse();
    for (const ring of rings) ring();
  }

  /** Opens the data channel of every link still open, at both ends. */
  openAll(): void {
    for (const transport of this.transports.values()) {
      for (const link of [...transport.dialled, ...transport.incoming]) {
        if (!link.isClosed) link.fire('open', undefined);
      }
    }
  }

  /** Every link still open, as [local id, remote id, outgoing] rows. */
  openLinks(): Array<[string, string, boolean]> {
    const rows: Array<[string, string, boolean]> = [];
    for (const [id, transport] of this.transports) {
      for (const link of [...transport.dialled, ...transport.incoming]) {
        if (!link.isClosed) rows.push([id, link.remoteId, link.isOutgoing]);
      }
    }
    return rows;
  }
}

/**
 * A TransportFactory that records the transports it made; with `holdsDescriptions`, their links
 * keep their offers and answers until the test sends them.
 */
export function fakeTransportFactory(
  network?: FakeNetwork,
  { holdsDescriptions = false } = {},
): TransportFactory & {
  made: FakeTransport[];
} {
  const made: FakeTransport[] = [];
  const factory = (options: TransportOptions): FakeTransport => {
    const transport = new FakeTransport(options, network);
    transport.holdsDescriptions = holdsDescriptions;
    made.push(transport);
    return transport;
  };
  return Object.assign(factory, { made });
}
