import { ChatRoom, type ChatLimits, type ChatMessage, type ChatPeers } from '../chat/chat-room.js';
import { chatError } from '../chat/chat-errors.js';
import { RoomError, toRoomError } from '../errors.js';
import type { LocalMedia } from '../media/local-media.js';
import { PROTOCOL_VERSION, type HelloMessage } from '../protocol/messages.js';
import type { PeerTransport, TransportFactory } from '../transport/transport.js';
import type { Clock } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import type { LivenessPolicy } from './liveness-policy.js';
import type { MediaRoute, RouteMode, RoutePeer, SfuNotice, ShownTile } from './media-route.js';
import { IceRenewal } from './ice-renewal.js';
import { MeshRoute } from './mesh-route.js';
import { localParticipant, unreachableParticipant, type Participant } from './participant.js';
import { clientSecretFor, peerServerToken } from './peer-token.js';
import { isRoomId, makePeerId } from './room-id.js';
import { RoomModeration } from './room-moderation.js';
import { Roster } from './roster.js';
import type { ServerApi } from './server-api.js';

/** `waiting`: at the door of a locked room, until a host lets this visitor in. */
export type SessionState = 'idle' | 'joining' | 'waiting' | 'joined' | 'left' | 'error';

export interface RoomSessionOptions {
  roomId: string;
  name: string;
  /** ICE servers from the page; null asks the server. */
  iceServers: RTCIceServer[] | null;
  iceTransportPolicy: RTCIceTransportPolicy;
  /** Which devices to open on join. */
  startWith: { audio: boolean; video: boolean };
  api: ServerApi;
  media: LocalMedia;
  createTransport: TransportFactory;
  /** How often the room's member list is re-read to heal a missed pair. */
  recheckIntervalMs?: number;
  /** The soonest TURN credentials are renewed, however short their lifetime (default 30 s). */
  minIceRenewalMs?: number;
  /** Chat limits, e.g. a lower `maxImageBytes`. */
  chatLimits?: Partial<ChatLimits>;
  /** The join token, read at every server call (the page may renew it); null without one. */
  readToken?: () => string | null;
  /** The host key of a room this browser created or was given host rights to. */
  hostKey?: string | null;
  /** Heartbeat and reconnect timing per peer (default `DEFAULT_LIVENESS`). */
  liveness?: LivenessPolicy;
  /** Timers of the per-peer liveness (default the page's). */
  clock?: Clock;
}

export interface RoomSessionEvents {
  state: SessionState;
  'peer-join': Participant;
  'peer-leave': Participant;
  /** Someone's name, media or stream changed, or the local media did. */
  participants: void;
  /** Something went wrong; `state` says whether the room goes on. */
  error: RoomError;
  /** The signalling server was lost (false) or is back (true); calls go on meanwhile. */
  signalling: boolean;
  /** A new chat message, own or another's, live or from history. */
  message: ChatMessage;
  /** The chat changed: progress, a picture, the unread count. */
  chat: void;
  /** Media goes another way now (see `mode`). */
  mode: RouteMode;
}

/**
 * One visit to one room: registers with the signalling server, reaches every other participant
 * through a media route (the mesh), and reports who is there, with the chat and the local media.
 * No DOM, no PeerJS.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  readonly peerId: string;
  /** Binds our peer ID at the server: only this visit can take it back after a drop. */
  private readonly clientSecret: string;
  private currentState: SessionState = 'idle';
  private transport: PeerTransport | null = null;
  /** What the server says about the room: roles, vouched names, hands, the lock, the door. */
  readonly moderation = new RoomModeration((command) => !!this.transport?.sendToServer(command));
  private route: MediaRoute | null = null;
  private readonly unwireRoute: Array<() => void> = [];
  private readonly roster = new Roster();
  private iceRenewal: IceRenewal | null = null;
  private readonly unsubscribeMedia: Array<() => void> = [];
  private name: string;
  /** The room's chat, over the same data channels; exists while joined. */
  private chatRoom: ChatRoom | null = null;

  constructor(private readonly options: RoomSessionOptions) {
    super();
    this.name = options.name;
    this.peerId = isRoomId(options.roomId) ? makePeerId(options.roomId) : '';
    this.clientSecret = clientSecretFor(options.roomId);
  }

  /** The room's chat (its messages, in the order every peer agrees on); null unless joined. */
  get chat(): ChatRoom | null {
    return this.chatRoom;
  }

  /**
   * Resolves once every offer and answer being made has gone out (at most `DESCRIBE_HOLD_MS`);
   * null when none is. Rendering meanwhile would delay them, and with them the call: the page
   * re-renders after.
   */
  whenDescribed(): Promise<void> | null {
    return this.route?.whenDescribed() ?? null;
  }

  /**
   * Sends a chat message to everyone reachable; resolves with it, its `delivery` saying whether
   * it reached someone (`sent`) or waits for someone to be reachable (`pending`). Rejects with a
   * RoomError.
   */
  sendMessage(text: string): Promise<ChatMessage> {
    return this.withChat((chat) => chat.sendText(text));
  }

  /** Sends a picture to everyone; resolves once every peer has all of it. Rejects with a RoomError. */
  sendImage(file: Blob): Promise<ChatMessage> {
    return this.withChat((chat) => chat.sendImage(file));
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** `sfu` once media goes through Janus (a large room); else `mesh`, or nothing yet. */
  get mode(): RouteMode | undefined {
    return this.route?.mode;
  }

  /** The tiles on the stage, so that each receives the video it needs (SFU only). */
  showTiles(tiles: readonly ShownTile[], stage: ParentNode): void {
    this.route?.showTiles?.(tiles, stage);
  }

  /** Whether the signalling server is lost; calls already up go on meanwhile. */
  get isSignallingLost(): boolean {
    return this.transport?.isSignallingLost ?? false;
  }

  /** The camera, microphone and screen this visit sends. */
  get media(): LocalMedia {
    return this.options.media;
  }

  /**
   * Everyone in the room, this visitor first. A peer whose media came before its hello is listed
   * already, `connecting` and with no name yet.
   */
  get participants(): Participant[] {
    const route = this.route;
    return [
      localParticipant(this.peerId, this.name, this.options.media),
      ...(route?.peers ?? []).filter((p) => p.isShown).map((p) => p.toParticipant()),
      ...(route?.unreachable ?? []).map((id) => unreachableParticipant(id, this.roster.nameOf(id))),
    ].map((facts) => this.moderation.describe(facts));
  }

  /** Joins the room. Rejects (and enters `error`) when the room cannot be joined at all. */
  async join(): Promise<void> {
    if (this.currentState !== 'idle') return;
    const { roomId, api, media, startWith } = this.options;
    this.setState('joining');
    try {
      if (!isRoomId(roomId)) {
        throw new RoomError(
          'bad-room-id',
          `"${roomId}" is not a room ID (8 to 64 letters, digits and hyphens)`,
        );
      }
      this.watchMedia();
      const [config, ice, mediaErrors] = await Promise.all([
        api.config(roomId),
        this.options.iceServers
          ? { iceServers: this.options.iceServers, expiresAt: null }
          : api.ice(roomId),
        media.start(startWith),
      ]);
      const { iceServers } = ice;
      for (const error of mediaErrors) this.emit('error', error);
      if (!this.isJoining()) return;
      const transport = await this.options.createTransport({
        id: this.peerId,
        server: api.base,
        path: config.peer.path,
        key: config.peer.key,
        iceServers,
        iceTransportPolicy: this.options.iceTransportPolicy,
        token: () =>
          peerServerToken(this.clientSecret, this.options.readToken?.(), this.options.hostKey),
      });
      if (!this.isJoining()) {
        transport.destroy();
        return;
      }
      this.transport = transport;
      // Our server lists the room as it registers us, everyone before us included; whoever comes
      // after finds us in theirs. Another server is asked, once we are registered. The socket
      // opens first: the rest of the setup runs while it connects.
      const opening = transport.open();
      this.startChat();
      // Removed by a host: the visit is over.
      transport.on('error', (error) =>
        error.code === 'removed' ? this.fail(error) : this.emit('error', error),
      );
      transport.on('disconnected', (error) => {
        this.emit('error', error);
        this.emit('signalling', false);
      });
      transport.on('reconnected', () => this.emit('signalling', true));
      this.watchModeration(transport);
      const route = this.startRoute(transport);
      let listed = await opening;
      if (!this.isJoining()) return;
      listed ??= await api.roomPeers(roomId);
      if (!this.isJoining()) return;
      // The calls go out before the page hears of the join: its listeners and the re-render
      // then run while the connections negotiate.
      route.start(listed);
      this.setState('joined');
      this.iceRenewal = new IceRenewal(
        () => api.ice(roomId),
        (servers) => transport.setIceServers(servers),
        this.options.minIceRenewalMs,
      );
      this.iceRenewal.schedule(ice.expiresAt);
    } catch (error) {
      if (this.isJoining()) throw this.fail(toRoomError(error));
    }
  }

  /** Says goodbye to everyone and releases devices and connections. */
  leave(): void {
    if (this.currentState === 'left' || this.currentState === 'idle') return;
    this.teardown(true);
    this.setState('left');
  }

  async setMicrophoneEnabled(on: boolean): Promise<void> {
    await this.options.media.setMicrophoneEnabled(on);
  }

  async setCameraEnabled(on: boolean): Promise<void> {
    await this.options.media.setCameraEnabled(on);
  }

  /** Shares a screen with everyone, as a call of its own. Rejects with a RoomError. */
  async startScreenShare(): Promise<void> {
    await this.options.media.startScreenShare();
  }

  /** Stops sharing the screen. */
  stopScreenShare(): void {
    this.options.media.stopScreenShare();
  }

  /** Changes the display name and tells everyone. */
  setName(name: string): void {
    this.name = name;
    this.route?.sendHello();
    this.emit('participants', undefined);
  }

  /** How loud each connected remote participant is right now (0 to 1), by peer ID. */
  audioLevels(): Map<string, number> {
    return this.route?.audioLevels() ?? new Map();
  }

  /** Connection statistics of the link to one remote participant, or null. */
  getStats(peerId: string): Promise<RTCStatsReport | null> {
    return this.route?.getStats(peerId) ?? Promise.resolve(null);
  }

  private hello = (): HelloMessage => ({
    v: PROTOCOL_VERSION,
    type: 'hello',
    name: this.name,
    audio: this.options.media.isMicrophoneEnabled,
    video: this.options.media.isCameraEnabled,
  });

  private startChat(): void {
    const peers: ChatPeers = {
      // Only peers heard lately: a message to a silent one waits for the sync instead.
      ids: () => (this.route?.peers ?? []).filter((p) => p.isReachable).map((p) => p.id),
      send: (id, data) => this.route?.send(id, data) ?? false,
      bufferedAmount: (id) => this.route?.bufferedAmount(id) ?? 0,
      nameOf: (id) => this.moderation.nameOf(id, this.roster.nameOf(id)),
    };
    const chat = new ChatRoom({
      peers,
      selfId: this.peerId,
      selfName: () => this.moderation.nameOf(this.peerId, this.name),
      limits: this.options.chatLimits,
    });
    chat.on('message', (message) => this.emit('message', message));
    chat.on('change', () => this.emit('chat', undefined));
    this.chatRoom = chat;
  }

  private withChat(send: (chat: ChatRoom) => Promise<ChatMessage>): Promise<ChatMessage> {
    if (!this.chatRoom || this.currentState !== 'joined') {
      return Promise.reject(chatError('chat-closed', 'Join the room before chatting'));
    }
    return send(this.chatRoom);
  }

  private watchMedia(): void {
    const { media } = this.options;
    this.unsubscribeMedia.push(
      media.on('track', ({ kind, track }) => this.route?.replaceTrack(kind, track)),
      media.on('change', () => {
        this.route?.sendHello();
        this.emit('participants', undefined);
      }),
      media.on('screen', (screen) => this.route?.shareScreen(screen)),
    );
  }

  private startRoute(transport: PeerTransport): MediaRoute {
    const { api, roomId, media, recheckIntervalMs, liveness, clock } = this.options;
    const route = new MeshRoute({
      transport,
      selfId: this.peerId,
      hello: this.hello,
      media,
      // A locked room is listed to its members only, who prove they are: our ID and secret.
      listRoom: () =>
        api.roomPeers(
          roomId,
          this.moderation.locked ? `${this.peerId} ${this.clientSecret}` : null,
        ),
      recheckIntervalMs,
      liveness,
      clock,
    });
    this.useRoute(route);
    return route;
  }

  private useRoute(route: MediaRoute): void {
    for (const unwire of this.unwireRoute.splice(0)) unwire();
    this.route = route;
    this.unwireRoute.push(
      route.on('mode', (mode) => this.emit('mode', mode)),
      route.on('message', ({ peerId, frame }) => this.chatRoom?.handleFrame(peerId, frame)),
      route.on('ready', (peer) => this.handleReady(peer)),
      route.on('update', (peer) => {
        if (peer.isReady) this.roster.rename(peer.id, peer.toParticipant().name);
        this.emit('participants', undefined);
      }),
      // Its transfers and sync end with the old link; the new one syncs afresh once it says hello.
      route.on('replaced', (peer) => this.chatRoom?.handlePeerGone(peer.id)),
      route.on('gone', ({ peer }) => {
        this.chatRoom?.handlePeerGone(peer.id);
        if (this.roster.depart(peer.id)) {
          this.emit('peer-leave', this.moderation.describe(peer.toParticipant()));
        }
      }),
      route.on('unreachable', ({ peerId }) => {
        const name = this.roster.nameOf(peerId) || peerId;
        this.emit('error', new RoomError('ice-failed', `No working ICE path to ${name}`));
        this.emit('participants', undefined);
      }),
      route.on('forgotten', () => this.emit('participants', undefined)),
      route.on('error', (error) => this.emit('error', error)),
    );
  }

  // The room moved to Janus, or its Janus went away: the SFU chunk takes the route over, once.
  private takeSfuNotice(notice: SfuNotice): void {
    const mesh = this.route;
    import('../sfu/handover-route.js').then(
      ({ HandoverRoute }) => {
        if (mesh && !mesh.take && this.route === mesh) {
          this.useRoute(new HandoverRoute(mesh, this.options, this.peerId, this.hello));
        }
        this.route?.take?.(notice);
      },
      () =>
        // Tried again at the next notice (a renewal comes every five minutes); the mesh goes on.
        this.emit('error', new RoomError('sfu-lost', 'The media server client did not load')),
    );
  }

  private handleReady(peer: RoutePeer): void {
    this.chatRoom?.handlePeerReady(peer.id);
    const facts = peer.toParticipant();
    if (this.roster.arrive(peer.id, facts.name)) {
      this.emit('peer-join', this.moderation.describe(facts));
    } else this.emit('participants', undefined);
  }

  // The server's word on the room: a locked door, a host's mute, a removal (ours or another's).
  private watchModeration(transport: PeerTransport): void {
    const moderation = this.moderation;
    transport.on('notice', (notice) => {
      moderation.handle(notice);
      if (notice.event.startsWith('sfu')) this.takeSfuNotice(notice as SfuNotice);
    });
    moderation.on('waiting', () => {
      this.setState('waiting');
      moderation.command({ command: 'knock', name: this.name });
    });
    moderation.on('muted', () => void this.setMicrophoneEnabled(false).catch(() => undefined));
    moderation.on('removed', (id) => this.route?.bar(id));
    moderation.on('change', () => this.emit('participants', undefined));
  }

  private teardown(sayGoodbye: boolean): void {
    this.iceRenewal?.stop();
    this.chatRoom?.dispose();
    this.chatRoom = null;
    this.route?.close(sayGoodbye);
    this.route = null;
    this.roster.clear();
    this.transport?.destroy();
    this.transport = null;
    for (const unsubscribe of this.unsubscribeMedia.splice(0)) unsubscribe();
    this.options.media.stop();
  }

  // A method, not an inline test: the state changes across the awaits of join().
  private isJoining(): boolean {
    return this.currentState === 'joining' || this.currentState === 'waiting';
  }

  private fail(error: RoomError): RoomError {
    this.teardown(false);
    this.setState('error');
    this.emit('error', error);
    return error;
  }

  private setState(state: SessionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit('state', state);
  }
}
