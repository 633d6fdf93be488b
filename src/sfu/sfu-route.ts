import { RoomError } from '../errors.js';
import type { LocalMedia } from '../media/local-media.js';
import { decodeFrame } from '../protocol/frame.js';
import { encodeMessage, PROTOCOL_VERSION, type HelloMessage } from '../protocol/messages.js';
import type { SfuTicket } from '../room/room-protocol.js';
import {
  lossPercentBetween,
  rateConnection,
  readMediaCounters,
  type MediaCounters,
} from '../room/connection-quality.js';
import { readNetworkPath } from '../room/connection-stats.js';
import type { MediaRoute, MediaRouteEvents, SfuNotice, ShownTile } from '../room/media-route.js';
import type { GoneReason } from '../room/remote-peer.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import { JanusSession, type JanusSocketFactory } from './janus-session.js';
import {
  activeEncodings,
  layerFor,
  layerRequest,
  readLayerRequest,
  SIMULCAST_ENCODINGS,
} from './layers.js';
import { EVERYONE, unwrapFrame, wrapFrame } from './sfu-frames.js';
import { SfuPeer } from './sfu-peer.js';
import { TilesOnScreen } from './tiles-on-screen.js';
import {
  VideoRoomPublisher,
  VideoRoomSubscriber,
  type Feed,
  type StreamLayer,
  type SubscribedStream,
} from './video-room.js';

/** How long peers not back on Janus after a reconnect stay listed, as the mesh's window. */
export const RECONNECT_WINDOW_MS = 20_000;

/** How long a new stream may take to show its first frame before it is shown anyway. */
export const FIRST_FRAME_WAIT_MS = 5_000;

const FRAME_POLL_MS = 100;
const NEW_STREAM: StreamLayer = { substream: 0, send: true };
const HELLO_RETRY_MS = 1_000;
const CHANNEL_LABEL = 'rtc-room';
const PATH_REFRESH_MS = 2_000;

export interface SfuRouteOptions {
  selfId: string;
  hello: () => HelloMessage;
  media: Pick<LocalMedia, 'outgoing' | 'screen'>;
  /** The ICE servers to reach Janus with (TURN credentials are renewed). */
  iceServers: () => Promise<RTCIceServer[]>;
  iceTransportPolicy: RTCIceTransportPolicy;
  clock?: Clock;
  openSocket?: JanusSocketFactory;
  createPeerConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

/** One attempt at Janus: the session, our publisher and our subscriber. */
interface Connection {
  session: JanusSession;
  publisher: RTCPeerConnection;
  subscriber: RTCPeerConnection;
  videoRoom: VideoRoomSubscriber | null;
  channel: RTCDataChannel;
  /** The layer asked for each video `mid`. */
  layers: Map<string, StreamLayer>;
  senders: Partial<Record<string, RTCRtpSender>>;
  /** The streams we asked to receive, as `feed mid`. */
  subscribed: Set<string>;
  /** Our publisher, once joined, and the transceiver of our shared screen, once shared. */
  publisherRoom?: VideoRoomPublisher;
  screen?: RTCRtpTransceiver;
  /** Our offers with a screen added or stopped, one at a time. */
  renegotiation: Promise<void>;
  /** What the subscriber had received at the last reading, for the loss since. */
  counters?: MediaCounters;
  greetTimer?: TimerHandle;
}

/**
 * The room through Janus's VideoRoom: we publish once (simulcast), and receive every other
 * publisher on one subscriber connection. Peers are the room's publishers, under their peer IDs;
 * names and media state come in hellos over Janus's data channels, as chat does. `mode` is
 * emitted each time we publish on Janus (again).
 */
export class SfuRoute extends Emitter<MediaRouteEvents> implements MediaRoute {
  readonly mode = 'sfu';
  private readonly entries = new Map<string, SfuPeer>();
  private readonly barred = new Set<string>();
  private readonly clock: Clock;
  private connection: Connection | null = null;
  private ticket: SfuTicket | null = null;
  private isConnecting = false;
  private isLost = false;
  private isClosed = false;
  private tiles: readonly ShownTile[] = [];
  private readonly onScreen = new TilesOnScreen(() => this.showTiles(this.tiles));
  /** The highest of our layers each peer's tile of us needs, as it last told us. */
  private readonly requestsOfUs = new Map<string, number>();
  /** What we last told each peer we need of its layers. */
  private readonly requested = new Map<string, number>();
  /** Our encodings' changes, one at a time (a sender takes one `setParameters` at once). */
  private encodingsSet: Promise<void> = Promise.resolve();
  private windowTimer: TimerHandle | undefined;
  private pathTimer: TimerHandle | undefined;

  constructor(private readonly options: SfuRouteOptions) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  get peers(): SfuPeer[] {
    return [...this.entries.values()];
  }

  get unreachable(): string[] {
    return [];
  }

  /** Whether we publish on Janus now. */
  get isConnected(): boolean {
    return this.connection !== null && !this.isLost;
  }

  start(): void {
    // Peers come from Janus's publishers list, not the server's.
  }

  /**
   * The server's word: a ticket connects (again, after a loss), or only renews the Janus token
   * of the connection we have; `sfu-lost` waits for Janus to be back.
   */
  take(notice: SfuNotice): void {
    if (notice.event === 'sfu-lost') this.lose();
    else this.useTicket(notice.ticket);
  }

  private useTicket(ticket: SfuTicket): void {
    this.ticket = ticket;
    if (this.isClosed) return;
    if (this.connection && !this.connection.session.closed) {
      this.connection.session.setToken(ticket.token);
      return;
    }
    void this.connect(ticket);
  }

  /** Janus went away (the server says so, or our socket did): the room stays, media waits. */
  lose(): void {
    if (this.isClosed) return;
    this.closeConnection();
    if (this.isLost) return;
    this.isLost = true;
    for (const peer of this.peers) {
      peer.isLost = true;
      peer.hasHello = false;
      peer.isLive = false;
    }
    this.emit('error', new RoomError('sfu-lost', 'The media server went away; waiting for it'));
    for (const peer of this.peers) this.emit('update', peer);
  }

  send(peerId: string, data: string | ArrayBuffer): boolean {
    return this.sendTo(peerId, data);
  }

  bufferedAmount(): number {
    return this.connection?.channel.bufferedAmount ?? 0;
  }

  sendHello(): void {
    this.sendTo(EVERYONE, encodeMessage(this.options.hello()));
  }

  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    void this.connection?.senders[kind]?.replaceTrack(track).catch(() => undefined);
  }

  shareScreen(screen: MediaStream | null): void {
    const connection = this.connection;
    const room = connection?.publisherRoom;
    if (!connection || !room) return;
    const track = screen?.getVideoTracks()[0] ?? null;
    let transceiver = connection.screen;
    if (track && screen && !transceiver) {
      transceiver = connection.publisher.addTransceiver(track, {
        direction: 'sendonly',
        streams: [screen],
      });
      connection.screen = transceiver;
    } else if (transceiver) {
      void transceiver.sender.replaceTrack(track).catch(() => undefined);
      transceiver.direction = track ? 'sendonly' : 'inactive';
    }
    const shown = track ? transceiver : undefined;
    connection.renegotiation = connection.renegotiation
      .then(() => room.republish(connection.publisher, shown))
      .catch(() => undefined);
  }

  audioLevels(): Map<string, number> {
    const levels = new Map<string, number>();
    const transceivers = this.connection?.subscriber.getTransceivers() ?? [];
    for (const peer of this.peers) {
      const receiver = transceivers.find((t) => t.mid === peer.mids.audio)?.receiver;
      const sources = receiver?.getSynchronizationSources() ?? [];
      if (peer.isReady) levels.set(peer.id, Math.max(0, ...sources.map((s) => s.audioLevel ?? 0)));
    }
    return levels;
  }

  getStats(): Promise<RTCStatsReport | null> {
    return this.connection?.subscriber.getStats() ?? Promise.resolve(null);
  }

  bar(peerId: string): void {
    this.barred.add(peerId);
    const peer = this.entries.get(peerId);
    if (peer) this.drop(peer, 'closed');
    void this.connection?.videoRoom?.unsubscribe([{ feed: peerId }]).catch(() => undefined);
  }

  whenDescribed(): null {
    return null;
  }

  showTiles(tiles: readonly ShownTile[], stage?: ParentNode): void {
    this.tiles = tiles;
    if (stage) this.onScreen.watch(stage);
    const connection = this.connection;
    if (!connection?.videoRoom) return;
    const changed = new Map<string, StreamLayer>();
    const ratio = globalThis.devicePixelRatio || 1;
    for (const peer of this.peers) {
      const mid = peer.mids.video;
      if (!mid) continue;
      const shown = tiles.find(({ tile }) => tile.kind === 'participant' && tile.id === peer.id);
      // A camera that is off needs no video (its tile shows a placeholder), nor a tile unseen.
      const isSeen = shown && peer.hello?.video !== false && this.onScreen.isSeen(peer.id);
      const last = connection.layers.get(mid);
      // A new stream whose tile is not drawn yet starts low rather than paused: resumed at the
      // render, its first frame would wait for one more keyframe.
      const layer = shown || last ? layerFor(isSeen ? shown.rect.width : null, ratio) : NEW_STREAM;
      this.request(peer.id, layer.send ? layer.substream : -1);
      if (last?.send === layer.send && (!layer.send || last.substream === layer.substream))
        continue;
      connection.layers.set(mid, layer);
      changed.set(mid, layer);
    }
    void connection.videoRoom.configure(changed).catch(() => undefined);
  }

  close(sayGoodbye: boolean): void {
    if (this.isClosed) return;
    if (sayGoodbye) this.sendTo(EVERYONE, encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' }));
    this.isClosed = true;
    this.onScreen.close();
    this.clock.clearTimeout(this.windowTimer);
    this.entries.clear();
    this.removeAllListeners();
    this.closeConnection();
  }

  /** Tells a peer the highest of its layers we need, when that changed (see `activeEncodings`). */
  private request(peerId: string, top: number): void {
    if (this.requested.get(peerId) === top) return;
    if (this.sendTo(peerId, layerRequest(top))) this.requested.set(peerId, top);
  }

  /** Encodes only the layers someone in the room needs now. */
  private updateEncodings(): void {
    const live = this.peers.filter((peer) => peer.isLive);
    const active = activeEncodings(live.map((peer) => this.requestsOfUs.get(peer.id)));
    this.encodingsSet = this.encodingsSet.then(async () => {
      const sender = this.connection?.senders.video;
      if (!sender) return;
      const parameters = sender.getParameters();
      const { encodings } = parameters;
      if (encodings.length !== active.length || encodings.every((e, i) => e.active === active[i]))
        return;
      encodings.forEach((encoding, index) => (encoding.active = active[index]));
      await sender.setParameters(parameters).catch(() => undefined);
    });
  }

  private sendTo(to: string, data: string | ArrayBuffer): boolean {
    const channel = this.connection?.channel;
    if (channel?.readyState !== 'open') return false;
    const frame = wrapFrame({ from: this.options.selfId, to, data });
    try {
      if (typeof frame === 'string') channel.send(frame);
      else channel.send(frame);
      return true;
    } catch {
      return false;
    }
  }

  private async connect(ticket: SfuTicket): Promise<void> {
    if (this.isConnecting) return;
    this.isConnecting = true;
    const { clock, openSocket, selfId } = this.options;
    let session: JanusSession | null = null;
    try {
      // Fetched while the socket opens: each is a round trip of the join.
      const [ice, opened] = await Promise.allSettled([
        this.options.iceServers(),
        JanusSession.connect(ticket.url, { token: ticket.token, clock, openSocket }),
      ]);
      if (opened.status === 'fulfilled') session = opened.value;
      if (ice.status === 'rejected' || !session || this.isClosed) throw new Error('not connected');
      const iceServers = ice.value;
      const connection = this.openConnection(session, iceServers);
      this.connection = connection;
      session.onClose(() => {
        if (this.connection === connection) this.lose();
      });
      const publisher = await VideoRoomPublisher.join(session, ticket, selfId, {
        published: (feeds) => this.handlePublished(feeds),
        left: (id) => {
          const peer = this.entries.get(id);
          if (peer) this.drop(peer, 'left');
        },
        ended: () => session?.close(),
      });
      connection.videoRoom = new VideoRoomSubscriber(
        session,
        ticket.room,
        publisher.privateId,
        connection.subscriber,
        (streams) => this.handleStreams(connection, streams),
      );
      connection.publisherRoom = publisher;
      // The others' streams are asked for while ours is offered: the room shows sooner.
      this.subscribeToLive();
      await publisher.publish(connection.publisher, connection.screen);
      this.isLost = false;
      // A new channel: each peer is told again what we need of it.
      this.requested.clear();
      this.updateEncodings();
      // Their streams may have come back while ours was offered: each tile is told now.
      for (const peer of this.peers.filter((each) => each.isLost)) {
        peer.isLost = false;
        this.emit('update', peer);
      }
      this.emit('mode', 'sfu');
      this.greet(connection);
      this.watchReturn();
      this.refreshPaths();
    } catch {
      if (this.isClosed) return;
      // Reported as `sfu-lost`: the next ticket tries again.
      session?.close();
      this.lose();
    } finally {
      this.isConnecting = false;
    }
    // A ticket that came while connecting is used now.
    if (this.ticket !== ticket && !this.isClosed) this.useTicket(this.ticket!);
  }

  private openConnection(session: JanusSession, iceServers: RTCIceServer[]): Connection {
    const create = this.options.createPeerConnection ?? ((config) => new RTCPeerConnection(config));
    const config: RTCConfiguration = {
      iceServers,
      iceTransportPolicy: this.options.iceTransportPolicy,
      bundlePolicy: 'max-bundle',
    };
    const publisher = create(config);
    const outgoing = this.options.media.outgoing;
    const senders: Connection['senders'] = {};
    for (const track of outgoing.getTracks()) {
      const init: RTCRtpTransceiverInit = { direction: 'sendonly', streams: [outgoing] };
      let transceiver: RTCRtpTransceiver;
      try {
        if (track.kind === 'video') init.sendEncodings = SIMULCAST_ENCODINGS;
        transceiver = publisher.addTransceiver(track, init);
      } catch {
        // No simulcast in this browser: one layer.
        transceiver = publisher.addTransceiver(track, {
          direction: 'sendonly',
          streams: [outgoing],
        });
      }
      senders[track.kind] = transceiver.sender;
    }
    const shared = this.options.media.screen;
    const screenTrack = shared?.getVideoTracks()[0];
    const screen = screenTrack
      ? publisher.addTransceiver(screenTrack, { direction: 'sendonly', streams: [shared!] })
      : undefined;
    const channel = publisher.createDataChannel(CHANNEL_LABEL);
    channel.binaryType = 'arraybuffer';
    channel.onopen = () => this.sendHello();
    const subscriber = create(config);
    const receive = (incoming: RTCDataChannel): void => {
      incoming.binaryType = 'arraybuffer';
      incoming.onmessage = ({ data }) => this.handleFrame(data, incoming.label);
    };
    // Janus relays each publisher's frames on a channel it opens, labelled with the publisher's
    // ID; ours starts the subscriber's SCTP association, without which Janus sends nothing.
    subscriber.ondatachannel = ({ channel: incoming }) => receive(incoming);
    receive(subscriber.createDataChannel(CHANNEL_LABEL));
    subscriber.onconnectionstatechange = () => {
      if (subscriber.connectionState === 'failed') this.lose();
    };
    return {
      session,
      publisher,
      subscriber,
      channel,
      senders,
      videoRoom: null,
      layers: new Map(),
      subscribed: new Set(),
      renegotiation: Promise.resolve(),
      screen,
    };
  }

  private closeConnection(): void {
    const connection = this.connection;
    this.connection = null;
    this.clock.clearTimeout(this.pathTimer);
    if (!connection) return;
    this.clock.clearTimeout(connection.greetTimer);
    connection.session.close();
    connection.publisher.close();
    connection.subscriber.close();
  }

  private handlePublished(feeds: readonly Feed[]): void {
    const asked = this.connection?.subscribed;
    for (const { id, mids } of feeds) {
      if (id === this.options.selfId || this.barred.has(id)) continue;
      let peer = this.entries.get(id);
      if (!peer) {
        peer = new SfuPeer(id);
        this.entries.set(id, peer);
      }
      // A stream it stopped (a screen): no longer received, asked for again if it starts again.
      const stopped = peer.publishedMids.filter((mid) => !mids.includes(mid));
      for (const mid of stopped) asked?.delete(`${id} ${mid}`);
      const room = this.connection?.videoRoom;
      if (stopped.length > 0 && room) {
        room.unsubscribe(stopped.map((mid) => ({ feed: id, mid }))).catch(() => undefined);
      }
      peer.publishedMids = mids;
      peer.isLive = true;
      peer.isLost = false;
    }
    this.updateEncodings();
    this.subscribeToLive();
    // A screen it stopped goes at once, before Janus's offer says so.
    const connection = this.connection;
    if (connection?.videoRoom) this.handleStreams(connection, connection.videoRoom.current);
  }

  private subscribeToLive(): void {
    const connection = this.connection;
    const room = connection?.videoRoom;
    if (!room || !this.ticket) return;
    const asked = connection.subscribed;
    const wanted = this.peers
      .filter((peer) => peer.isLive)
      .flatMap((peer) => peer.publishedMids.map((mid) => ({ feed: peer.id, mid })))
      .filter(({ feed, mid }) => !asked.has(`${feed} ${mid}`));
    if (wanted.length === 0) return;
    for (const { feed, mid } of wanted) asked.add(`${feed} ${mid}`);
    room.subscribe(wanted, this.ticket.roomToken).catch(() => {
      for (const { feed, mid } of wanted) asked.delete(`${feed} ${mid}`);
    });
  }

  // Janus drops frames for a subscriber whose channel is not up yet, so a hello may be lost
  // either way: we say it to everyone each second while someone's is missing, and answer each
  // hello (once a second at most per peer), which stops once they have ours.
  private greet(connection: Connection): void {
    connection.greetTimer = this.clock.setTimeout(() => {
      if (this.connection !== connection) return;
      if (this.peers.some((peer) => peer.isLive && !peer.hasHello)) this.sendHello();
      this.greet(connection);
    }, HELLO_RETRY_MS);
  }

  private handleStreams(connection: Connection, streams: readonly SubscribedStream[]): void {
    if (this.connection !== connection) return;
    const transceivers = connection.subscriber.getTransceivers();
    for (const peer of this.peers) {
      const own = streams.filter((s) => s.isActive && s.feed === peer.id);
      const audio = own.find((s) => s.type === 'audio')?.mid;
      const video = own.find((s) => s.type === 'video' && !s.isScreen)?.mid;
      peer.mids = { audio, video };
      const screen = own.find(
        (s) => s.type === 'video' && s.isScreen && peer.publishedMids.includes(s.feedMid),
      );
      this.showScreen(peer, transceivers, screen?.mid);
      const tracks = [audio, video].flatMap((mid) => {
        const track = transceivers.find((t) => t.mid === mid)?.receiver.track;
        return mid !== undefined && track ? [track] : [];
      });
      const isSame =
        tracks.length === peer.tracks.length && tracks.every((t, i) => t === peer.tracks[i]);
      if (isSame || tracks.length === 0) continue;
      peer.tracks = tracks;
      const stream = new MediaStream(tracks);
      const receiver = transceivers.find((t) => t.mid === (video ?? audio))?.receiver;
      void this.whenFlowing(receiver).then(() => {
        if (peer.tracks !== tracks || this.entries.get(peer.id) !== peer) return;
        peer.stream = stream;
        this.emit('update', peer);
      });
    }
    // New streams start at the layer their tiles need.
    this.showTiles(this.tiles);
  }

  private showScreen(
    peer: SfuPeer,
    transceivers: readonly RTCRtpTransceiver[],
    mid: string | undefined,
  ): void {
    const track =
      mid === undefined ? null : transceivers.find((t) => t.mid === mid)?.receiver.track;
    if ((peer.screen?.getVideoTracks()[0] ?? null) === (track ?? null)) return;
    peer.screen = track ? new MediaStream([track]) : null;
    this.emit('update', peer);
  }

  // The first frame (or, for sound alone, the first packet) of a stream from Janus.
  private async whenFlowing(receiver: RTCRtpReceiver | undefined): Promise<void> {
    const deadline = this.clock.now() + FIRST_FRAME_WAIT_MS;
    while (receiver && this.clock.now() < deadline && !this.isClosed) {
      const report = await receiver.getStats().catch(() => null);
      for (const stat of report?.values() ?? []) {
        if (stat.type !== 'inbound-rtp') continue;
        const frames = stat.framesDecoded ?? 0;
        if (frames > 0 || (stat.kind === 'audio' && stat.packetsReceived > 0)) return;
      }
      await new Promise((resolve) =>
        this.clock.setTimeout(() => resolve(undefined), FRAME_POLL_MS),
      );
    }
  }

  private handleFrame(raw: unknown, label: string): void {
    const envelope = unwrapFrame(raw);
    const self = this.options.selfId;
    if (!envelope || (envelope.to !== self && envelope.to !== EVERYONE)) return;
    // Janus names the publisher: a frame that claims another sender is dropped.
    if (label !== CHANNEL_LABEL && label !== envelope.from) return;
    const peer = this.entries.get(envelope.from);
    if (!peer || this.barred.has(peer.id)) return;
    const request = readLayerRequest(envelope.data);
    if (request !== null) {
      this.requestsOfUs.set(peer.id, request);
      this.updateEncodings();
      return;
    }
    const decoded = decodeFrame(envelope.data);
    if (decoded.kind === 'invalid' && decoded.reason === 'unknown') return;
    if (decoded.kind !== 'control') {
      this.emit('message', { peerId: peer.id, frame: decoded });
      return;
    }
    const { message } = decoded;
    if (message.type === 'bye') this.drop(peer, 'left');
    if (message.type !== 'hello') return;
    const isFirst = !peer.hasHello;
    // The same hello to everyone again: it misses someone's, maybe ours (a changed one is news).
    const isGreeting =
      envelope.to === EVERYONE &&
      (isFirst || JSON.stringify(peer.hello) === JSON.stringify(message));
    peer.hello = message;
    peer.hasHello = true;
    // It may have missed what we need of it, sent before its channel was up: told again.
    if (isGreeting) this.requested.delete(peer.id);
    const now = this.clock.now();
    if (isGreeting && now - peer.answeredAt >= HELLO_RETRY_MS) {
      peer.answeredAt = now;
      this.sendTo(peer.id, encodeMessage(this.options.hello()));
    }
    this.emit(isFirst ? 'ready' : 'update', peer);
  }

  private drop(peer: SfuPeer, reason: GoneReason): void {
    if (this.entries.get(peer.id) !== peer) return;
    this.entries.delete(peer.id);
    this.requestsOfUs.delete(peer.id);
    this.requested.delete(peer.id);
    this.updateEncodings();
    this.emit('gone', { peer, reason });
  }

  // After a reconnect, whoever is not back on Janus within the window has left.
  private watchReturn(): void {
    this.clock.clearTimeout(this.windowTimer);
    this.windowTimer = this.clock.setTimeout(() => {
      if (this.isLost) return;
      for (const peer of this.peers) if (!peer.isLive) this.drop(peer, 'failed');
    }, RECONNECT_WINDOW_MS);
  }

  private refreshPaths(): void {
    this.pathTimer = this.clock.setTimeout(async () => {
      const connection = this.connection;
      if (!connection) return;
      const report = await connection.subscriber.getStats().catch(() => null);
      if (this.connection !== connection || !report) return;
      // One link for everyone: to Janus, rated over what came on it since the last reading.
      const path = readNetworkPath(report);
      const counters = readMediaCounters(report);
      const quality = rateConnection({
        roundTripMs: path?.roundTripMs ?? null,
        lossPercent: lossPercentBetween(connection.counters ?? null, counters),
        jitterMs: counters.jitterMs,
      });
      connection.counters = counters;
      for (const peer of this.peers) {
        const changed =
          path?.candidateType !== peer.path?.candidateType ||
          path?.roundTripMs !== peer.path?.roundTripMs ||
          quality !== peer.quality;
        peer.path = path;
        peer.quality = quality;
        if (changed) this.emit('update', peer);
      }
      this.refreshPaths();
    }, PATH_REFRESH_MS);
  }
}
