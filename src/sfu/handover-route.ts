// The SFU chunk's way in: what the session loads when its room moves to Janus.
import type {
  MediaRoute,
  MediaRouteEvents,
  RouteMode,
  SfuNotice,
  RoutePeer,
  ShownTile,
} from '../room/media-route.js';
import type { RoomSessionOptions } from '../room/room-session.js';
import type { TimerHandle } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import type { SfuPeer } from './sfu-peer.js';
import { SfuRoute, type SfuRouteOptions } from './sfu-route.js';

/** Longest the mesh plays on once we publish on Janus, for peers whose SFU stream is late. */
export const HANDOVER_TIMEOUT_MS = 10_000;

/** How long the mesh plays on once every peer is seen through Janus, for the others' switch. */
export const HANDOVER_GRACE_MS = 3_000;

/** What the handover needs of the route through Janus (`SfuRoute`; a fake in tests). */
export type SfuSide = Omit<MediaRoute, 'peers'> & {
  readonly peers: readonly SfuPeer[];
  readonly isConnected: boolean;
  take(notice: SfuNotice): void;
};

/**
 * A room moving from the mesh to Janus, make-before-break: we publish and subscribe on Janus
 * while the mesh still plays; each peer is shown through Janus from its first frame there; once
 * every peer is (or after `HANDOVER_TIMEOUT_MS`), the mesh closes, and the route is Janus's.
 */
export class HandoverRoute extends Emitter<MediaRouteEvents> implements MediaRoute {
  readonly sfu: SfuSide;
  private mesh: MediaRoute | null;
  /** Mesh peers whose link closed before their SFU stream played: shown until it does. */
  private readonly held = new Map<string, RoutePeer>();
  private readonly clock: NonNullable<SfuRouteOptions['clock']>;
  private timer: TimerHandle | undefined;
  /** The stream each peer's tile was first given, by peer ID (see `present`). */
  private readonly displays = new Map<string, MediaStream>();
  private isFinishing = false;

  /** `session` is the session's options: media, ICE, the server's API, the clock. */
  constructor(
    mesh: MediaRoute,
    session: Pick<
      RoomSessionOptions,
      'api' | 'roomId' | 'iceServers' | 'iceTransportPolicy' | 'media' | 'clock'
    >,
    selfId: string,
    hello: SfuRouteOptions['hello'],
    makeSfu: (options: SfuRouteOptions) => SfuSide = (options) => new SfuRoute(options),
  ) {
    super();
    this.mesh = mesh;
    this.clock = session.clock ?? systemClock;
    const { api, roomId, iceServers } = session;
    const sfu = (this.sfu = makeSfu({
      ...session,
      selfId,
      hello,
      // Fresh TURN credentials for each connection to Janus.
      iceServers: async () => iceServers ?? (await api.ice(roomId)).iceServers,
    }));
    mesh.on('ready', (peer) => this.emit('ready', peer));
    mesh.on('update', (peer) => {
      if (this.pick(peer.id) === peer) this.emit('update', peer);
    });
    mesh.on('replaced', (peer) => this.emit('replaced', peer));
    mesh.on('message', (message) => this.emit('message', message));
    mesh.on('gone', ({ peer, reason }) => this.handleMeshGone(peer, reason === 'left'));
    // Peers that stopped answering on the mesh are reached through Janus now.
    mesh.on('error', (error) => error.code !== 'ice-failed' && this.emit('error', error));
    sfu.on('ready', (peer) => this.emit('ready', peer));
    sfu.on('update', (peer) => {
      if (this.isViaSfu(peer.id)) this.held.delete(peer.id);
      this.emit('update', this.pick(peer.id) ?? peer);
      this.checkHandover();
    });
    sfu.on('message', (message) => this.emit('message', message));
    sfu.on('gone', ({ peer, reason }) => {
      const other = this.mesh?.peers.find((each) => each.id === peer.id);
      if (other && reason !== 'left') this.emit('update', other);
      else this.emit('gone', { peer, reason });
    });
    sfu.on('error', (error) => this.emit('error', error));
    // We publish on Janus: the mesh plays on until every peer is seen through it, or the timeout.
    sfu.on('mode', () => {
      if (!this.mesh) return;
      this.clock.clearTimeout(this.timer);
      this.timer = this.clock.setTimeout(() => this.finishHandover(), HANDOVER_TIMEOUT_MS);
      this.checkHandover();
    });
  }

  get mode(): RouteMode {
    return this.mesh ? 'mesh' : 'sfu';
  }

  get peers(): RoutePeer[] {
    const ids = new Set([
      ...(this.mesh?.peers ?? []).map((peer) => peer.id),
      ...this.held.keys(),
      ...this.sfu.peers.map((peer) => peer.id),
    ]);
    return [...ids].map((id) => this.present(this.pick(id)!));
  }

  get unreachable(): string[] {
    return [];
  }

  /** Acts on the server's notice: connects, renews the token, or waits for Janus to be back. */
  take(notice: SfuNotice): void {
    this.sfu.take(notice);
  }

  start(listed: readonly string[]): void {
    this.mesh?.start(listed);
  }

  send(peerId: string, data: string | ArrayBuffer): boolean {
    return this.linkOf(peerId).send(peerId, data);
  }

  bufferedAmount(peerId: string): number {
    return this.linkOf(peerId).bufferedAmount(peerId);
  }

  sendHello(): void {
    this.mesh?.sendHello();
    this.sfu.sendHello();
  }

  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): void {
    this.mesh?.replaceTrack(kind, track);
    this.sfu.replaceTrack(kind, track);
  }

  shareScreen(screen: MediaStream | null): void {
    this.mesh?.shareScreen(screen);
    this.sfu.shareScreen(screen);
  }

  audioLevels(): Map<string, number> {
    const sfu = this.sfu.audioLevels();
    const levels = this.mesh?.audioLevels() ?? new Map<string, number>();
    for (const [id, level] of sfu) if (this.isViaSfu(id)) levels.set(id, level);
    return levels;
  }

  getStats(peerId: string): Promise<RTCStatsReport | null> {
    return this.isViaSfu(peerId) || !this.mesh
      ? this.sfu.getStats(peerId)
      : this.mesh.getStats(peerId);
  }

  bar(peerId: string): void {
    this.held.delete(peerId);
    this.mesh?.bar(peerId);
    this.sfu.bar(peerId);
  }

  whenDescribed(): Promise<void> | null {
    return this.mesh?.whenDescribed() ?? null;
  }

  showTiles(tiles: readonly ShownTile[], stage?: ParentNode): void {
    this.sfu.showTiles?.(tiles, stage);
  }

  close(sayGoodbye: boolean): void {
    this.clock.clearTimeout(this.timer);
    // Its listeners go below: a held peer's timer finds it no longer held.
    this.held.clear();
    this.displays.clear();
    this.mesh?.close(sayGoodbye);
    this.mesh = null;
    this.sfu.close(sayGoodbye);
    this.removeAllListeners();
  }

  private isViaSfu(peerId: string): boolean {
    return this.sfu.peers.some((peer) => peer.id === peerId && peer.hasMedia);
  }

  /**
   * The peer as shown: through Janus once its stream plays there, else on the mesh; but through
   * Janus at once when the mesh has not reached it (a newcomer to a room on Janus, whose calls
   * nobody answers), so that its tile asks Janus for its video.
   */
  private pick(peerId: string): RoutePeer | undefined {
    const viaSfu = this.sfu.peers.find((peer) => peer.id === peerId);
    if (viaSfu?.hasMedia || !this.mesh) return viaSfu ?? this.held.get(peerId);
    const onMesh = this.mesh.peers.find((peer) => peer.id === peerId) ?? this.held.get(peerId);
    if (viaSfu?.isShown && !onMesh?.isShown) return viaSfu;
    return onMesh ?? viaSfu;
  }

  /**
   * The peer with the stream its tile was first given: when its media comes another way (from
   * the mesh to Janus, or from Janus again after a loss), the new tracks move into that stream,
   * so the tile's video plays on without being given another stream (which reloads it).
   */
  private present(peer: RoutePeer): RoutePeer {
    const stream = peer.toParticipant().stream;
    const display = this.displays.get(peer.id);
    if (!display && stream) this.displays.set(peer.id, stream);
    if (!display || display === stream) return peer;
    // No stream for a moment (the mesh closed before Janus's first frame): the tile keeps its
    // video element, covered as a camera that is off.
    if (stream) {
      const tracks = stream.getTracks();
      // Added first: the video always has a track to show.
      for (const track of tracks) if (!display.getTracks().includes(track)) display.addTrack(track);
      for (const track of display.getTracks())
        if (!tracks.includes(track)) display.removeTrack(track);
    }
    const { id, isReady, isShown, isReachable } = peer;
    return {
      id,
      isReady,
      isShown,
      isReachable,
      toParticipant: () => {
        const facts = peer.toParticipant();
        return { ...facts, stream: display, hasVideo: facts.hasVideo && stream !== null };
      },
    };
  }

  // Chat goes over a peer link while there is one, else through Janus.
  private linkOf(peerId: string): Pick<MediaRoute, 'send' | 'bufferedAmount'> {
    const meshPeer = this.mesh?.peers.find((peer) => peer.id === peerId);
    return meshPeer?.isReachable ? this.mesh! : this.sfu;
  }

  private handleMeshGone(peer: RoutePeer, hasLeft: boolean): void {
    if (this.isViaSfu(peer.id)) return;
    if (hasLeft) {
      this.emit('gone', { peer, reason: 'left' });
      return;
    }
    // Its side moved to Janus first: it stays on screen until its stream comes from there.
    this.held.set(peer.id, peer);
    this.clock.setTimeout(() => {
      if (this.held.get(peer.id) !== peer) return;
      this.held.delete(peer.id);
      const shown = this.pick(peer.id);
      if (shown) this.emit('update', shown);
      else this.emit('gone', { peer, reason: 'closed' });
    }, HANDOVER_TIMEOUT_MS);
  }

  private checkHandover(): void {
    const mesh = this.mesh;
    if (!mesh || !this.sfu.isConnected) return;
    const waiting = [...mesh.peers.filter((peer) => peer.isShown), ...this.held.values()];
    if (this.isFinishing || !waiting.every((peer) => this.isViaSfu(peer.id))) return;
    // The others switch at about the same time, each when it sees us through Janus: our side of
    // the mesh plays on a moment for those still waiting for our stream there.
    this.isFinishing = true;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.finishHandover(), HANDOVER_GRACE_MS);
  }

  private finishHandover(): void {
    const mesh = this.mesh;
    if (!mesh) return;
    this.clock.clearTimeout(this.timer);
    this.mesh = null;
    // Without a goodbye: everyone stays, through Janus now.
    mesh.close(false);
    for (const [id, peer] of this.held) {
      if (!this.sfu.peers.some((each) => each.id === id)) {
        this.emit('gone', { peer, reason: 'closed' });
      }
    }
    this.held.clear();
    this.emit('mode', 'sfu');
  }
}
