import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage, ChatRoom } from '../chat/chat-room.js';
import type { FileTransfers } from '../chat/transfer-gate.js';
import {
  parseIceServers,
  parseIceTransportPolicy,
  parseServerUrl,
  type Background,
  type NoiseSuppression,
} from '../config.js';
import { RoomError, TokenExpiredError, toRoomError, type RoomErrorCode } from '../errors.js';
import { emit, type DetailOf, type RoomState, type RtcRoomEventMap } from '../events.js';
import { hostKeyFor } from '../room-links.js';
import type { RouteMode, ShownTile } from '../room/media-route.js';
import type { Participant } from '../room/participant.js';
import { isRoomId } from '../room/room-id.js';
import type { RoomModeration } from '../room/room-moderation.js';
import type { RoomSession } from '../room/room-session.js';
import type { ServerApi } from '../room/server-api.js';
import type { TransportFactory } from '../transport/transport.js';
import { DeviceController } from './device-controller.js';
import { readJoinSettings } from './join-settings.js';
import { TokenRenewal } from './token-renewal.js';

/** The call chunk: session, local media and the server's API, loaded on prejoin or join. */
export type CallModule = typeof import('../room/call.js');

/** What the controller reads from the element when joining. */
export interface RoomHost extends ReactiveControllerHost, HTMLElement {
  /** Whether the host has rendered once. */
  readonly hasUpdated: boolean;
  roomId: string;
  server: string | null;
  name: string;
  iceServers: string | null;
  iceTransportPolicy: string | null;
  /** The join token (JWT), or null. */
  token: string | null;
  muted: boolean;
  videoOff: boolean;
  noPrejoin: boolean;
  noiseSuppression: NoiseSuppression;
  background: Background;
  /** Where MediaPipe's files are, or '' for rtc-room-server's. */
  backgroundAssets: string;
  /** Largest picture accepted in chat, in bytes (0: the built-in limit). */
  maxImageSize: number;
  /** Largest file offered or downloaded in chat, in bytes (0: the built-in limit). */
  maxFileSize: number;
}

export interface RoomControllerOptions {
  /** Where the script was loaded from: the default server. */
  scriptUrl: string;
  /** Loads the transport on demand, keeping PeerJS out of the element's module graph. */
  loadTransport: () => Promise<TransportFactory>;
  /** Loads the call chunk (and what else joining needs), keeping it out of the first file. */
  loadCall: () => Promise<CallModule>;
  /** A session's moderation, for the element's host controls, once it joins. */
  watchModeration: (moderation: RoomModeration) => void;
}

/**
 * Holds the element's one RoomSession and the element's state: builds the session from the
 * attributes on join, turns its events into DOM events and re-renders, and leaves when the page
 * goes away.
 */
export class RoomController implements ReactiveController {
  private currentState: RoomState = 'idle';
  private session: RoomSession | null = null;
  private call: Promise<CallModule> | null = null;
  /** A join waiting for the call chunk; `state` is `joining` meanwhile. */
  private pendingJoin: { isCancelled: boolean } | null = null;
  private removalTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly token: TokenRenewal;
  /** Problems the visitor should read while the room goes on (refused camera, lost server). */
  notices: RoomError[] = [];
  /** The error that stopped the last join, shown in the `error` state. */
  fatalError: RoomError | null = null;
  /** The camera and microphone, from the preview on. */
  readonly devices: DeviceController;
  /** The server's API as made in the prejoin, with the join's first requests already sent. */
  private earlyApi: ServerApi | null = null;

  constructor(
    private readonly host: RoomHost,
    private readonly options: RoomControllerOptions,
  ) {
    host.addController(this);
    this.token = new TokenRenewal(host);
    this.devices = new DeviceController(host, {
      loadCall: () => this.loadCall(),
      state: () => this.state,
      sessionMedia: () => (this.isInCall() ? this.session!.media : null),
      report: (error) => this.report(error),
    });
  }

  /** The element's state, as `state` and in `rtc-state`. */
  get state(): RoomState {
    return this.currentState;
  }

  /** Whether the signalling server is lost while in the room; calls already up go on. */
  get isSignallingLost(): boolean {
    return this.isInCall() && this.session!.isSignallingLost;
  }

  /** How media reaches the others: `mesh` until the room moves to the SFU. */
  get mode(): RouteMode {
    return this.session?.mode ?? 'mesh';
  }

  /** The tiles on the stage, so that each receives the video it needs. */
  showTiles(tiles: readonly ShownTile[]): void {
    this.session?.showTiles(tiles, this.host.shadowRoot!);
  }

  get participants(): Participant[] {
    return this.isInCall() ? this.session!.participants : [];
  }

  /** What the server says about the room (roles, the lock, the door), while in it. */
  get moderation(): RoomModeration | null {
    return this.isInCall() ? this.session!.moderation : null;
  }

  /** The room's chat, while joined and after leaving; null before. */
  get chat(): ChatRoom | null {
    return this.session?.chat ?? null;
  }

  /** Resolves once the offers and answers being made have gone out; null when none is. */
  whenDescribed(): Promise<void> | null {
    return this.session?.whenDescribed() ?? null;
  }

  hostUpdate(): void {
    // Fetch the call while the visitor looks at the prejoin, so joining does not wait for it.
    if (this.state === 'prejoin') this.loadCall().then(this.prefetch, () => undefined);
  }

  // The join's first server requests go out while the visitor looks at the prejoin too.
  private prefetch = (call: CallModule): void => {
    const host = this.host;
    const server = parseServerUrl(host.server, this.options.scriptUrl);
    if (this.state !== 'prejoin' || !server.ok || !isRoomId(host.roomId)) return;
    if (this.earlyApi?.base.href !== server.value.href) {
      this.earlyApi = new call.ServerApi(server.value, undefined, () => this.token.current());
    }
    const pageIce = parseIceServers(host.iceServers);
    this.earlyApi.prefetch(host.roomId, { ice: !(pageIce.ok && pageIce.value) });
  };

  hostConnected(): void {
    // Reattached after a move in the DOM: the call goes on.
    clearTimeout(this.removalTimer);
    // Before the first render too, `state` says whether a room ID is set.
    this.followRoomId(this.host.hasUpdated);
    window.addEventListener('pagehide', this.handlePageHide);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.handlePageHide);
    // Leave only if the element is not put back in the same task (a move, not a removal).
    this.removalTimer = setTimeout(() => {
      if (!this.host.isConnected) {
        this.leave();
        this.devices.stopPreview();
      }
    });
  }

  /** Joins the room named by the host's `room-id`. */
  async join(): Promise<void> {
    const state = this.state;
    if (state === 'joining' || state === 'joined') return;
    const host = this.host;
    this.notices = [];
    this.fatalError = null;
    const { settings, iceError } = readJoinSettings(host, this.options.scriptUrl);
    if (iceError) this.report(iceError);
    if (!settings.ok) {
      this.fail(settings.error);
      return;
    }
    const { server, iceServers, token } = settings.value;
    // Both chunks load at once, and while the call chunk loads the element shows `joining`.
    const transportFactory = this.options.loadTransport();
    transportFactory.catch(() => undefined);
    const pending = { isCancelled: false };
    this.pendingJoin = pending;
    this.setState('joining');
    let call: CallModule;
    try {
      call = await this.loadCall();
    } catch (error) {
      this.call = null;
      if (pending.isCancelled) return;
      this.pendingJoin = null;
      const origin = new URL(this.options.scriptUrl).origin;
      this.fail(
        new RoomError('server-unreachable', `Cannot load the call from ${origin}`, {
          cause: error,
        }),
      );
      return;
    }
    if (pending.isCancelled) return;
    this.pendingJoin = null;
    const { LocalMedia, RoomSession, ServerApi } = call;
    const api =
      this.earlyApi?.base.href === server.href
        ? this.earlyApi
        : new ServerApi(server, undefined, () => this.token.current());
    this.earlyApi = null;
    const session = new RoomSession({
      roomId: host.roomId,
      // The name the host site vouched for in the token, unless the page set one.
      name: host.name || token?.name || '',
      iceServers,
      iceTransportPolicy: parseIceTransportPolicy(host.iceTransportPolicy),
      startWith: { audio: !host.muted, video: !host.videoOff },
      api,
      readToken: () => this.token.current(),
      hostKey: hostKeyFor(host.roomId),
      media: this.devices.takePreview(() => new LocalMedia()),
      createTransport: async (options) => (await transportFactory)(options),
      chatLimits: { maxImageBytes: host.maxImageSize, maxFileBytes: host.maxFileSize },
    });
    this.session = session;
    this.watch(session);
    this.options.watchModeration(session.moderation);
    try {
      await session.join();
      await this.devices.refreshDevices();
    } catch {
      // The session reported the error and entered `error`.
    }
  }

  leave(): void {
    if (this.pendingJoin) {
      // Left before the call arrived: nothing was opened yet.
      this.pendingJoin.isCancelled = true;
      this.pendingJoin = null;
      emit(this.host, 'rtc-leave', { roomId: this.host.roomId });
      this.setState('left');
      return;
    }
    this.session?.leave();
  }

  setMicrophoneEnabled(on: boolean): Promise<void> {
    return this.withSession((session) => session.setMicrophoneEnabled(on));
  }

  startScreenShare(): Promise<void> {
    return this.withSession((session) => session.startScreenShare());
  }

  stopScreenShare(): void {
    this.session?.stopScreenShare();
  }

  setCameraEnabled(on: boolean): Promise<void> {
    return this.withSession((session) => session.setCameraEnabled(on));
  }

  sendMessage(text: string): Promise<ChatMessage> {
    return this.withSession((session) => session.sendMessage(text), 'chat-closed');
  }

  sendImage(file: Blob): Promise<ChatMessage> {
    return this.withSession((session) => session.sendImage(file), 'chat-closed');
  }

  /** Acts on the chat's files (from the transfers chunk, loaded on first use). */
  withFiles(act: (files: FileTransfers) => Promise<ChatMessage>): Promise<ChatMessage> {
    // A joined session has its chat.
    return this.withSession(async (session) => act(await session.chat!.files()), 'chat-closed');
  }

  setName(name: string): void {
    this.session?.setName(name);
  }

  /** How loud each remote participant is right now (0 to 1), by peer ID. */
  audioLevels(): Map<string, number> {
    return this.session?.audioLevels() ?? new Map();
  }

  getStats(peerId: string): Promise<RTCStatsReport | null> {
    return this.session?.getStats(peerId) ?? Promise.resolve(null);
  }

  /**
   * The page set another `token`: later calls use it by themselves; a join that failed on an
   * expired token is tried again.
   */
  tokenChanged(): void {
    this.token.changed();
    if (this.state === 'error' && this.fatalError instanceof TokenExpiredError) {
      this.reset();
      void this.join();
    }
  }

  /** Forgets a finished session so the element shows `prejoin` or `idle` again. */
  reset(): void {
    if (this.state === 'joining' || this.state === 'joined') this.leave();
    this.session = null;
    this.fatalError = null;
    this.notices = [];
    this.setState(this.host.roomId ? 'prejoin' : 'idle');
  }

  /**
   * The host's `room-id` changed (`previous` is the one before): before joining, the state
   * follows it (a first one moves idle to prejoin); a new one ends the visit to the old room.
   */
  roomIdChanged(previous: string | undefined, isFirstUpdate: boolean): void {
    const isBeforeJoin = this.state === 'idle' || this.state === 'prejoin';
    if (isBeforeJoin) this.followRoomId(!isFirstUpdate);
    else if (previous && !isFirstUpdate) this.reset();
  }

  private followRoomId(isAnnounced: boolean): void {
    const state = this.state;
    if (state !== 'idle' && state !== 'prejoin') return;
    this.setState(this.host.roomId ? 'prejoin' : 'idle', isAnnounced);
  }

  private loadCall(): Promise<CallModule> {
    this.call ??= this.options.loadCall();
    return this.call;
  }

  private watch(session: RoomSession): void {
    const host = this.host;
    session.on('state', (state) => {
      if (this.session !== session) return;
      if (state === 'joined')
        emit(host, 'rtc-join', { roomId: host.roomId, peerId: session.peerId });
      if (state === 'left') emit(host, 'rtc-leave', { roomId: host.roomId });
      // `joining` was announced when the call chunk started loading.
      if (state !== 'idle') this.setState(state);
      host.requestUpdate();
    });
    session.on('peer-join', (participant) => this.tell('rtc-peer-join', { participant }));
    session.on('peer-leave', (participant) => this.tell('rtc-peer-leave', { participant }));
    session.on('participants', () => host.requestUpdate());
    session.on('message', (message) => this.tell('rtc-message', { message }));
    session.on('chat', () => host.requestUpdate());
    session.on('mode', (mode) => this.tell('rtc-mode', { mode }));
    // The session says it once per outage, after its `signalling-lost`: the page can stop saying so.
    session.on('signalling', (isConnected) => {
      if (isConnected) {
        emit(host, 'rtc-error', {
          code: 'signalling-restored',
          message: 'Connected to the signalling server again',
        });
      }
      host.requestUpdate();
    });
    session.on('error', (error) => {
      if (error instanceof TokenExpiredError) this.token.askForFresh();
      // While in the room, an expired token is the page's to renew, not the visitor's to read.
      if (error instanceof TokenExpiredError && session.state !== 'error') return;
      if (session.state === 'error') this.fatalError = error;
      else if (error.code !== 'signalling-lost') this.addNotice(error);
      this.tell('rtc-error', { code: error.code, message: error.message });
    });
  }

  private async withSession<T>(
    action: (session: RoomSession) => Promise<T>,
    notJoined: RoomErrorCode = 'internal',
  ): Promise<T> {
    const session = this.session;
    if (!session || session.state !== 'joined') {
      throw new RoomError(notJoined, 'Join the room first');
    }
    try {
      return await action(session);
    } catch (error) {
      const roomError = toRoomError(error);
      this.report(roomError);
      throw roomError;
    }
  }

  /** Hides a notice the visitor has read. */
  dismissNotice(code: RoomErrorCode): void {
    this.notices = this.notices.filter((notice) => notice.code !== code);
    this.host.requestUpdate();
  }

  // One notice per code: a repeated problem is not news.
  private addNotice(error: RoomError): void {
    this.notices = [...this.notices.filter((notice) => notice.code !== error.code), error];
  }

  /** Whether an error's text shows: the failed room, a notice, or the preview's problem. */
  get showsError(): boolean {
    return this.state === 'error' || this.notices.length > 0 || !!this.devices.previewError;
  }

  private report(error: RoomError): void {
    this.addNotice(error);
    this.tell('rtc-error', { code: error.code, message: error.message });
  }

  /** Tells the page, and re-renders for what it was told. */
  private tell<K extends keyof RtcRoomEventMap>(type: K, detail: DetailOf<K>): void {
    emit(this.host, type, detail);
    this.host.requestUpdate();
  }

  private fail(error: RoomError): void {
    this.fatalError = error;
    emit(this.host, 'rtc-error', { code: error.code, message: error.message });
    this.setState('error');
  }

  // The one place the state changes: every `rtc-state` tells of a new one. Only the state the
  // host starts in, before its first render, is not announced: nobody saw another before it.
  private setState(state: RoomState, isAnnounced = true): void {
    if (state === this.currentState) return;
    this.currentState = state;
    if (isAnnounced) emit(this.host, 'rtc-state', { state });
    this.host.requestUpdate();
  }

  private isInCall(): boolean {
    const state = this.session?.state;
    return state === 'joining' || state === 'joined';
  }

  private handlePageHide = (): void => this.leave();
}
