import { ChatRoom, type ChatLimits, type ChatMessage, type ChatPeers } from '../chat/chat-room.js';
import { chatError } from '../chat/chat-errors.js';
import { RoomError, TokenExpiredError, toRoomError } from '../errors.js';
import type { LocalMedia } from '../media/local-media.js';
import { PROTOCOL_VERSION, type HelloMessage } from '../protocol/messages.js';
import type { PeerLink, PeerTransport, TransportFactory } from '../transport/transport.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { Emitter } from '../util/emitter.js';
import type { LivenessPolicy } from './liveness-policy.js';
import { keepsOwnDial, peersToDial } from './membership.js';
import type { Participant } from './participant.js';
import { RemotePeer, type GoneReason } from './remote-peer.js';
import { isRoomId, makePeerId } from './room-id.js';
import { readFingerprints, safetyCodeOf } from './safety-code.js';
import type { ServerApi } from './server-api.js';

export type SessionState = 'idle' | 'joining' | 'joined' | 'left' | 'error';

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
}

const DEFAULT_RECHECK_MS = 4_000;

/** Attempts to connect to one peer before it is shown as unreachable. */
export const MAX_CONNECT_ATTEMPTS = 3;

/** How often the network path to each peer is re-read for the connection details. */
const PATH_REFRESH_MS = 2_000;

/** Longest the page's re-renders wait for an offer or answer being made (see `whenDescribed`). */
export const DESCRIBE_HOLD_MS = 200;

/** Renew TURN credentials when this share of their lifetime has passed. */
const ICE_RENEWAL_POINT = 0.8;

/**
 * One visit to one room: registers with the signalling server, keeps a full mesh with every
 * other participant (one link per pair), and reports who is there. No DOM, no PeerJS.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  readonly peerId: string;
  /** Binds our peer ID at the server: only this visit can take it back after a drop. */
  private readonly clientSecret = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  private currentState: SessionState = 'idle';
  private transport: PeerTransport | null = null;
  private readonly peers = new Map<string, RemotePeer>();
  /** Links whose offer or answer is still being made. */
  private readonly describing = new Set<PeerLink>();
  private readonly departed = new Set<string>();
  /** Peers the page was told joined (a replaced link does not announce them twice). */
  private readonly announced = new Set<string>();
  /** Failed attempts per peer since it was last connected. */
  private readonly failures = new Map<string, number>();
  /** Peers given up on, with the name they last told us. */
  private readonly unreachable = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private pathTimer: ReturnType<typeof setInterval> | undefined;
  private iceTimer: ReturnType<typeof setTimeout> | undefined;
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribeMedia: Array<() => void> = [];
  private name: string;
  /** The room's chat, over the same data channels; exists while joined. */
  private chatRoom: ChatRoom | null = null;
  private isSignallingUp = true;

  constructor(private readonly options: RoomSessionOptions) {
    super();
    this.name = options.name;
    this.peerId = isRoomId(options.roomId) ? makePeerId(options.roomId) : '';
  }

  /** The chat so far, in the order every peer agrees on. */
  get messages(): readonly ChatMessage[] {
    return this.chatRoom?.messages ?? [];
  }

  /** Messages from others not yet marked read. */
  get unreadMessages(): number {
    return this.chatRoom?.unread ?? 0;
  }

  /** Largest picture accepted, in bytes. */
  get maxImageBytes(): number | null {
    return this.chatRoom?.maxImageBytes ?? null;
  }

  markMessagesRead(): void {
    this.chatRoom?.markRead();
  }

  /**
   * Resolves once every offer and answer being made has gone out (at most `DESCRIBE_HOLD_MS`);
   * null when none is. Rendering meanwhile would delay them, and with them the call: the page
   * re-renders after.
   */
  whenDescribed(): Promise<void> | null {
    if (this.describing.size === 0) return null;
    const clock = this.options.clock ?? systemClock;
    let timer: TimerHandle | undefined;
    const cap = new Promise<void>((resolve) => {
      timer = clock.setTimeout(resolve, DESCRIBE_HOLD_MS);
    });
    const described = Promise.all([...this.describing].map((link) => link.described));
    return Promise.race([described, cap]).then(() => clock.clearTimeout(timer));
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

  /** Whether the signalling server is lost; calls already up go on meanwhile. */
  get isSignallingLost(): boolean {
    return !this.isSignallingUp;
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
    const { media } = this.options;
    const local: Participant = {
      id: this.peerId,
      name: this.name,
      isLocal: true,
      hasAudio: media.isMicrophoneEnabled,
      hasVideo: media.isCameraEnabled,
      stream: media.preview,
      screen: media.screen,
      connection: null,
      safetyCode: null,
    };
    const remote = [...this.peers.values()].filter((p) => p.isShown).map((p) => p.toParticipant());
    const unreachable = [...this.unreachable].map(([id, name]): Participant => ({
      id,
      name,
      isLocal: false,
      hasAudio: false,
      hasVideo: false,
      stream: null,
      screen: null,
      safetyCode: null,
      connection: { state: 'unreachable', candidateType: null, roundTripMs: null, quality: null },
    }));
    return [local, ...remote, ...unreachable];
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
        token: () => this.peerServerToken(),
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
      transport.on('incoming', (link) => this.handleIncoming(link));
      transport.on('error', (error) => this.emit('error', error));
      transport.on('disconnected', (error) => {
        if (!this.isSignallingUp) return;
        this.isSignallingUp = false;
        this.emit('error', error);
        this.emit('signalling', false);
      });
      transport.on('reconnected', () => {
        if (this.isSignallingUp) return;
        this.isSignallingUp = true;
        this.emit('signalling', true);
        // Peers still waiting to retry try at once: the server is likely back for them too.
        for (const peer of this.peers.values()) peer.sendSignallingBack();
      });
      let listed = await opening;
      if (!this.isJoining()) return;
      listed ??= await api.roomPeers(roomId);
      if (!this.isJoining()) return;
      // The calls go out before the page hears of the join: its listeners and the re-render
      // then run while the connections negotiate.
      this.dial(listed, true);
      this.setState('joined');
      this.scheduleRecheck();
      this.scheduleIceRenewal(ice.expiresAt);
      this.pathTimer = setInterval(() => void this.refreshPaths(), PATH_REFRESH_MS);
    } catch (error) {
      if (!this.isJoining()) return;
      this.teardown(false);
      const roomError = toRoomError(error);
      this.setState('error');
      this.emit('error', roomError);
      throw roomError;
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
    this.broadcastHello();
    this.emit('participants', undefined);
  }

  /** How loud each connected remote participant is right now (0 to 1), by peer ID. */
  audioLevels(): Map<string, number> {
    const levels = new Map<string, number>();
    for (const peer of this.peers.values()) {
      if (peer.isReady) levels.set(peer.id, peer.link.audioLevel() ?? 0);
    }
    return levels;
  }

  /** Connection statistics of the link to one remote participant, or null. */
  getStats(peerId: string): Promise<RTCStatsReport | null> {
    return this.peers.get(peerId)?.link.getStats() ?? Promise.resolve(null);
  }

  private hello = (): HelloMessage => ({
    v: PROTOCOL_VERSION,
    type: 'hello',
    name: this.name,
    audio: this.options.media.isMicrophoneEnabled,
    video: this.options.media.isCameraEnabled,
  });

  private startChat(): void {
    const ready = (id: string): RemotePeer | undefined => {
      const peer = this.peers.get(id);
      return peer?.isReady ? peer : undefined;
    };
    const peers: ChatPeers = {
      // Only peers heard lately: a message to a silent one waits for the sync instead.
      ids: () => [...this.peers.values()].filter((peer) => peer.isReachable).map((peer) => peer.id),
      send: (id, data) => ready(id)?.link.send(data) ?? false,
      bufferedAmount: (id) => ready(id)?.link.bufferedAmount ?? 0,
      nameOf: (id) => ready(id)?.toParticipant().name ?? '',
    };
    const chat = new ChatRoom({
      peers,
      selfId: this.peerId,
      selfName: () => this.name,
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
      media.on('track', ({ kind, track }) => {
        for (const peer of this.peers.values()) void peer.link.replaceTrack(kind, track);
      }),
      media.on('change', () => {
        this.broadcastHello();
        this.emit('participants', undefined);
      }),
      media.on('screen', (screen) => {
        for (const peer of this.peers.values()) if (peer.isReady) peer.link.shareScreen(screen);
      }),
    );
  }

  private broadcastHello(): void {
    for (const peer of this.peers.values()) peer.sendHello();
  }

  /** Calls those listed that we should (all of them while joining; see `peersToDial`). */
  private dial(listed: readonly string[], isJoining: boolean): void {
    const transport = this.transport;
    if (!transport) return;
    const ids = peersToDial(
      this.peerId,
      listed,
      new Set(this.peers.keys()),
      this.skipped(),
      isJoining,
    );
    for (const id of ids) this.adopt(transport.dial(id, this.options.media.outgoing));
  }

  private handleIncoming(link: PeerLink): void {
    if (this.currentState !== 'joining' && this.currentState !== 'joined') {
      link.close();
      return;
    }
    const existing = this.peers.get(link.remoteId);
    if (existing) {
      // Both dialled at once (or the peer redialled): keep the link the smaller ID dialled.
      // An incoming link while we hold an incoming one means the peer lost its side: take it.
      if (existing.link.isOutgoing && keepsOwnDial(this.peerId, link.remoteId)) {
        link.close();
        return;
      }
    }
    link.accept(this.options.media.outgoing);
    this.adopt(link);
  }

  /**
   * Takes a link as the one to a peer. A link that replaces another (a redial from either side)
   * inherits its participant: same tile, no second `peer-join`, no `peer-leave`.
   */
  private adopt(link: PeerLink): void {
    const previous = this.peers.get(link.remoteId);
    const peer = new RemotePeer(
      link,
      this.hello,
      (id, raw) => this.chatRoom?.handleData(id, raw) ?? false,
      { liveness: this.options.liveness, clock: this.options.clock, previous },
    );
    this.peers.set(link.remoteId, peer);
    this.describing.add(link);
    void link.described.then(() => {
      this.describing.delete(link);
      // Its video is capped for the room before it starts, not changed as it starts.
      this.adaptEncodings();
    });
    if (previous) {
      // Its transfers and sync end with it; the new link syncs afresh once it carries a hello.
      this.chatRoom?.handlePeerGone(previous.id);
      previous.close();
    }
    peer.on('reconnecting', () => {
      this.redial(peer);
      // Whether it is still at the server tells a closed page from a network hiccup.
      this.scheduleRecheck(0);
    });
    peer.on('signalling-back', () => this.transport?.retrySignalling());
    peer.on('ready', () => {
      this.adaptEncodings();
      // Someone arriving while the screen is shared gets it too.
      const screen = this.options.media.screen;
      if (screen) peer.link.shareScreen(screen);
      this.chatRoom?.handlePeerReady(peer.id);
      this.failures.delete(peer.id);
      this.names.set(peer.id, peer.toParticipant().name);
      if (this.unreachable.delete(peer.id)) this.emit('participants', undefined);
      if (this.announced.has(peer.id)) {
        this.emit('participants', undefined);
        return;
      }
      this.announced.add(peer.id);
      this.emit('peer-join', peer.toParticipant());
    });
    peer.on('update', () => {
      if (peer.isReady) this.names.set(peer.id, peer.toParticipant().name);
      this.emit('participants', undefined);
    });
    peer.on('gone', (reason) => {
      if (this.peers.get(peer.id) !== peer) return;
      this.peers.delete(peer.id);
      this.chatRoom?.handlePeerGone(peer.id);
      if (reason === 'left') this.departed.add(peer.id);
      if (this.announced.delete(peer.id)) this.emit('peer-leave', peer.toParticipant());
      this.handleGone(peer.id, reason);
      this.adaptEncodings();
    });
  }

  // Each link's video follows the room's size (and that link's measured uplink).
  private adaptEncodings(): void {
    for (const peer of this.peers.values()) void peer.adaptEncoding(this.peers.size + 1);
  }

  // A failed peer is retried (the smaller ID redials, after a back-off) a bounded number of
  // times, then shown as unreachable with an `ice-failed` error.
  private handleGone(peerId: string, reason: GoneReason): void {
    if (reason !== 'failed' || this.currentState !== 'joined') return;
    const attempts = (this.failures.get(peerId) ?? 0) + 1;
    this.failures.set(peerId, attempts);
    if (attempts < MAX_CONNECT_ATTEMPTS) {
      this.scheduleRecheck(500 * 2 ** (attempts - 1));
      return;
    }
    const name = this.names.get(peerId) ?? '';
    this.unreachable.set(peerId, name);
    this.emit(
      'error',
      new RoomError(
        'ice-failed',
        `Could not connect to ${name || peerId} after ${attempts} attempts (no working ICE path)`,
      ),
    );
    this.emit('participants', undefined);
  }

  // PeerJS cannot restart ICE on a connection (an offer for a known connection closes it), so a
  // silent peer gets a fresh call instead, from the smaller ID of the pair (the larger one
  // takes it over in handleIncoming); the peer stays shown as reconnecting meanwhile.
  private redial(peer: RemotePeer): void {
    const transport = this.transport;
    if (!transport || this.currentState !== 'joined' || !this.isSignallingUp) return;
    if (this.peers.get(peer.id) !== peer || !keepsOwnDial(this.peerId, peer.id)) return;
    this.adopt(transport.dial(peer.id, this.options.media.outgoing));
  }

  private skipped(): Set<string> {
    return new Set([...this.departed, ...this.unreachable.keys()]);
  }

  // A link's certificates never change: each peer's safety code is read once its DTLS is up.
  private async refreshSafetyCodes(): Promise<void> {
    const pending = [...this.peers.values()].filter(
      (peer) => peer.isReady && peer.safetyCode === null,
    );
    const found = await Promise.all(
      pending.map(async (peer) => {
        const report = await peer.link.getStats().catch(() => null);
        const fingerprints = report ? readFingerprints(report) : null;
        if (!fingerprints) return false;
        const code = await safetyCodeOf(fingerprints);
        if (this.peers.get(peer.id) !== peer) return false;
        peer.safetyCode = code;
        return true;
      }),
    );
    if (found.includes(true)) this.emit('participants', undefined);
  }

  private async refreshPaths(): Promise<void> {
    void this.refreshSafetyCodes();
    const changes = await Promise.all(
      [...this.peers.values()].filter((peer) => peer.isReady).map((peer) => peer.refreshPath()),
    );
    this.adaptEncodings();
    if (changes.includes(true)) this.emit('participants', undefined);
  }

  // TURN credentials from the server expire: fetch new ones before they do.
  private scheduleIceRenewal(expiresAt: number | null): void {
    clearTimeout(this.iceTimer);
    if (expiresAt === null) return;
    const soonest = this.options.minIceRenewalMs ?? 30_000;
    const delay = Math.max(soonest, (expiresAt - Date.now()) * ICE_RENEWAL_POINT);
    this.iceTimer = setTimeout(async () => {
      try {
        const ice = await this.options.api.ice(this.options.roomId);
        if (this.currentState !== 'joined') return;
        this.transport?.setIceServers(ice.iceServers);
        this.scheduleIceRenewal(ice.expiresAt);
      } catch {
        if (this.currentState === 'joined') this.scheduleIceRenewal(Date.now() + 60_000);
      }
    }, delay);
  }

  private scheduleRecheck(delay?: number): void {
    clearTimeout(this.recheckTimer);
    const interval = this.options.recheckIntervalMs ?? DEFAULT_RECHECK_MS;
    // Jitter keeps the peers of a room from re-reading the list in lockstep.
    const wait = delay ?? interval * (0.75 + Math.random() / 2);
    this.recheckTimer = setTimeout(() => void this.recheck(), wait);
  }

  private async recheck(): Promise<void> {
    try {
      const listed = await this.options.api.roomPeers(this.options.roomId);
      if (this.currentState !== 'joined') return;
      // Whoever is no longer listed has left: stop showing or retrying them.
      let isPruned = false;
      for (const id of [...this.unreachable.keys(), ...this.failures.keys()]) {
        if (listed.includes(id)) continue;
        isPruned = this.unreachable.delete(id) || isPruned;
        this.failures.delete(id);
      }
      if (isPruned) this.emit('participants', undefined);
      // A silent peer the server no longer lists has gone: its page closed before its goodbye
      // got out. (One that only lost the network is still listed until the server notices.)
      for (const peer of [...this.peers.values()]) {
        if (peer.connectionState === 'reconnecting' && !listed.includes(peer.id)) peer.close();
      }
      this.dial(listed, false);
    } catch (error) {
      // The page is asked for a fresh token; otherwise the server may be restarting. Either
      // way, the next re-check tries again.
      if (error instanceof TokenExpiredError) this.emit('error', error);
    }
    if (this.currentState === 'joined') this.scheduleRecheck();
  }

  /** What this visit registers with: its client secret, and the join token when there is one. */
  private peerServerToken(): string {
    const joinToken = this.options.readToken?.();
    return joinToken ? `${this.clientSecret}.${joinToken}` : this.clientSecret;
  }

  private teardown(sayGoodbye: boolean): void {
    clearTimeout(this.recheckTimer);
    clearTimeout(this.iceTimer);
    clearInterval(this.pathTimer);
    this.unreachable.clear();
    this.failures.clear();
    this.chatRoom?.dispose();
    this.chatRoom = null;
    const peers = [...this.peers.values()];
    // Cleared first: closing links while leaving is not news to the page.
    this.peers.clear();
    this.announced.clear();
    for (const peer of peers) {
      if (sayGoodbye) peer.leave();
      else peer.close();
    }
    this.transport?.destroy();
    this.transport = null;
    for (const unsubscribe of this.unsubscribeMedia.splice(0)) unsubscribe();
    this.options.media.stop();
  }

  // A method, not an inline test: the state changes across the awaits of join().
  private isJoining(): boolean {
    return this.currentState === 'joining';
  }

  private setState(state: SessionState): void {
    if (this.currentState === state) return;
    this.currentState = state;
    this.emit('state', state);
  }
}
