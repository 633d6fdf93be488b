import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatMessage } from '../chat/chat-room.js';
import { parseIceServers, parseIceTransportPolicy, parseServerUrl, parseToken } from '../config.js';
import { RoomError, TokenExpiredError, toRoomError, type RoomErrorCode } from '../errors.js';
import { emit, type RoomState } from '../events.js';
import type { DeviceList, LocalMedia, MediaKind } from '../media/local-media.js';
import type { Participant } from '../room/participant.js';
import { isRoomId } from '../room/room-id.js';
import type { RoomSession } from '../room/room-session.js';
import type { ServerApi } from '../room/server-api.js';
import type { TransportFactory } from '../transport/transport.js';

/** The call chunk: session, local media and the server's API, loaded on prejoin or join. */
export type CallModule = typeof import('../room/call.js');

/** What the controller reads from the element when joining. */
export interface RoomHost extends ReactiveControllerHost, HTMLElement {
  roomId: string;
  server: string | null;
  name: string;
  iceServers: string | null;
  iceTransportPolicy: string | null;
  /** The join token (JWT), or null. */
  token: string | null;
  muted: boolean;
  videoOff: boolean;
  /** Largest picture accepted in chat, in bytes (0: the built-in limit). */
  maxImageSize: number;
}

export interface RoomControllerOptions {
  /** Where the script was loaded from: the default server. */
  scriptUrl: string;
  /** Loads the transport on demand, keeping PeerJS out of the element's module graph. */
  loadTransport: () => Promise<TransportFactory>;
  /** Loads the call chunk (and what else joining needs), keeping it out of the first file. */
  loadCall: () => Promise<CallModule>;
}

/**
 * Holds the element's one RoomSession: builds it from the attributes on join, turns its
 * events into DOM events and re-renders, and leaves when the page goes away.
 */
export class RoomController implements ReactiveController {
  private session: RoomSession | null = null;
  private call: Promise<CallModule> | null = null;
  /** A join waiting for the call chunk; `state` is `joining` meanwhile. */
  private pendingJoin: { isCancelled: boolean } | null = null;
  /** Left while the call chunk was loading: no session was ever made. */
  private hasLeftEarly = false;
  private removalTimer: ReturnType<typeof setTimeout> | undefined;
  /** The token the page was last asked to renew (undefined: none asked for yet). */
  private askedForToken: string | null | undefined = undefined;
  /** Problems the visitor should read while the room goes on (refused camera, lost server). */
  notices: RoomError[] = [];
  /** The error that stopped the last join, shown in the `error` state. */
  fatalError: RoomError | null = null;
  isSignallingLost = false;
  /** Camera and microphone opened before joining (the preview), then handed to the session. */
  private media: LocalMedia | null = null;
  /** Bumped when a preview is dropped, so one still opening is dropped too. */
  private previewGeneration = 0;
  /** Why the preview has no camera or microphone (refused, missing), if it has not. */
  previewError: RoomError | null = null;
  /** The cameras, microphones and speakers to pick from. */
  devices: DeviceList = { cameras: [], microphones: [], speakers: [] };
  /** The server's API as made in the prejoin, with the join's first requests already sent. */
  private earlyApi: ServerApi | null = null;

  constructor(
    private readonly host: RoomHost,
    private readonly options: RoomControllerOptions,
  ) {
    host.addController(this);
  }

  /** The element's state; `idle` and `prejoin` depend on whether a room ID is set. */
  get state(): RoomState {
    const sessionState = this.session?.state ?? 'idle';
    if (sessionState !== 'idle') return sessionState;
    if (this.pendingJoin) return 'joining';
    if (this.hasLeftEarly) return 'left';
    if (this.fatalError) return 'error';
    return this.host.roomId ? 'prejoin' : 'idle';
  }

  get participants(): Participant[] {
    const state = this.session?.state;
    return state === 'joining' || state === 'joined' ? this.session!.participants : [];
  }

  get peerId(): string | null {
    return this.session?.peerId ?? null;
  }

  get messages(): readonly ChatMessage[] {
    return this.session?.messages ?? [];
  }

  get unreadMessages(): number {
    return this.session?.unreadMessages ?? 0;
  }

  get maxImageBytes(): number | null {
    return this.session?.maxImageBytes ?? null;
  }

  markMessagesRead(): void {
    this.session?.markMessagesRead();
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
      this.earlyApi = new call.ServerApi(server.value, undefined, () => this.currentToken());
    }
    const pageIce = parseIceServers(host.iceServers);
    this.earlyApi.prefetch(host.roomId, { ice: !(pageIce.ok && pageIce.value) });
  };

  hostConnected(): void {
    // Reattached after a move in the DOM: the call goes on.
    clearTimeout(this.removalTimer);
    window.addEventListener('pagehide', this.handlePageHide);
    navigator.mediaDevices?.addEventListener('devicechange', this.handleDeviceChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('pagehide', this.handlePageHide);
    navigator.mediaDevices?.removeEventListener('devicechange', this.handleDeviceChange);
    // Leave only if the element is not put back in the same task (a move, not a removal).
    this.removalTimer = setTimeout(() => {
      if (!this.host.isConnected) {
        this.leave();
        this.stopPreview();
      }
    });
  }

  /** The camera as the visitor sees it in the preview or their tile, or null. */
  get localPreview(): MediaStream | null {
    return this.media?.preview ?? null;
  }

  /** The live microphone, for a level meter, or null. */
  get microphoneTrack(): MediaStreamTrack | null {
    return this.media?.microphoneTrack ?? null;
  }

  /** The IDs of the camera and microphone in use. */
  get deviceIds(): { camera: string | null; microphone: string | null } {
    return this.media?.deviceIds ?? { camera: null, microphone: null };
  }

  /**
   * Opens the camera and microphone before joining, as the host's `muted` and `video-off` say,
   * so the visitor sees and hears what they will send; again after a refusal, to retry.
   */
  async startPreview(): Promise<void> {
    const generation = ++this.previewGeneration;
    let call: CallModule;
    try {
      call = await this.loadCall();
    } catch {
      return; // Joining reports it.
    }
    if (generation !== this.previewGeneration || this.state !== 'prejoin') return;
    if (!this.media) {
      const media = new call.LocalMedia();
      media.on('change', () => this.host.requestUpdate());
      this.media = media;
    }
    const errors = await this.media.start({ audio: !this.host.muted, video: !this.host.videoOff });
    if (generation !== this.previewGeneration) return;
    this.previewError = errors[0] ?? null;
    await this.refreshDevices();
  }

  // Names come once a device is allowed; the lists change when one is plugged in or out.
  private async refreshDevices(): Promise<void> {
    if (!this.media) return;
    this.devices = await this.media.listDevices();
    this.host.requestUpdate();
  }

  /** Releases the preview's devices (the visitor went back to the lobby, or the page left). */
  stopPreview(): void {
    this.previewGeneration++;
    if (this.state === 'joining' || this.state === 'joined') return;
    this.media?.stop();
    this.media = null;
    this.previewError = null;
  }

  /** Turns a device on or off in the preview; the host's `muted` / `video-off` follow. */
  async setPreviewDevice(kind: MediaKind, on: boolean): Promise<void> {
    if (kind === 'audio') this.host.muted = !on;
    else this.host.videoOff = !on;
    if (!this.media) return;
    try {
      if (kind === 'audio') await this.media.setMicrophoneEnabled(on);
      else await this.media.setCameraEnabled(on);
      this.previewError = null;
    } catch (error) {
      this.previewError = toRoomError(error);
    }
    this.host.requestUpdate();
  }

  /** Uses another camera or microphone, before joining or during the call (every link follows). */
  async chooseDevice(kind: MediaKind, deviceId: string): Promise<void> {
    if (!this.media) return;
    try {
      await this.media.useDevice(kind, deviceId);
    } catch (error) {
      this.report(toRoomError(error));
    }
    this.host.requestUpdate();
  }

  /** Joins the room named by the host's `room-id`. */
  async join(): Promise<void> {
    const state = this.state;
    if (state === 'joining' || state === 'joined') return;
    const host = this.host;
    this.notices = [];
    this.fatalError = null;
    this.hasLeftEarly = false;
    const server = parseServerUrl(host.server, this.options.scriptUrl);
    const ice = parseIceServers(host.iceServers);
    if (!ice.ok) this.report(ice.error);
    if (!server.ok) {
      this.fail(server.error);
      return;
    }
    const token = parseToken(host.token);
    if (!token.ok) {
      this.fail(token.error);
      return;
    }
    if (token.value?.roomId && token.value.roomId !== host.roomId) {
      this.fail(new RoomError('unauthorized', 'token is for another room than room-id'));
      return;
    }
    // Both chunks load at once, and while the call chunk loads the element shows `joining`.
    const transportFactory = this.options.loadTransport();
    transportFactory.catch(() => undefined);
    const pending = { isCancelled: false };
    this.pendingJoin = pending;
    this.changed('joining');
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
      this.earlyApi?.base.href === server.value.href
        ? this.earlyApi
        : new ServerApi(server.value, undefined, () => this.currentToken());
    this.earlyApi = null;
    const session = new RoomSession({
      roomId: host.roomId,
      // The name the host site vouched for in the token, unless the page set one.
      name: host.name || token.value?.name || '',
      iceServers: ice.ok ? ice.value : null,
      iceTransportPolicy: parseIceTransportPolicy(host.iceTransportPolicy),
      startWith: { audio: !host.muted, video: !host.videoOff },
      api,
      readToken: () => this.currentToken(),
      media: this.takeMedia(() => new LocalMedia()),
      createTransport: async (options) => (await transportFactory)(options),
      chatLimits: host.maxImageSize > 0 ? { maxImageBytes: host.maxImageSize } : undefined,
    });
    this.session = session;
    this.watch(session);
    try {
      await session.join();
      await this.refreshDevices();
    } catch {
      // The session reported the error and entered `error`.
    }
  }

  leave(): void {
    if (this.pendingJoin) {
      // Left before the call arrived: nothing was opened yet.
      this.pendingJoin.isCancelled = true;
      this.pendingJoin = null;
      this.hasLeftEarly = true;
      emit(this.host, 'rtc-leave', { roomId: this.host.roomId });
      this.changed(this.state);
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

  /** Whether this browser can share a screen at all. */
  get canShareScreen(): boolean {
    return typeof navigator.mediaDevices?.getDisplayMedia === 'function';
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
    this.askedForToken = null;
    if (this.state === 'error' && this.fatalError instanceof TokenExpiredError) {
      this.reset();
      void this.join();
    }
  }

  /** The join token to send now: the host's, when it is well formed. */
  private currentToken(): string | null {
    const token = parseToken(this.host.token);
    return token.ok ? (token.value?.value ?? null) : null;
  }

  /** Asks the page for a fresh token, once per token. */
  private askForToken(): void {
    const token = this.currentToken();
    if (this.askedForToken === token) return;
    this.askedForToken = token;
    emit(this.host, 'rtc-token-expired', { roomId: this.host.roomId });
  }

  /** Forgets a finished session so the element shows `prejoin` or `idle` again. */
  reset(): void {
    if (this.state === 'joining' || this.state === 'joined') this.leave();
    this.session = null;
    this.fatalError = null;
    this.hasLeftEarly = false;
    this.notices = [];
    this.changed(this.state);
  }

  // The preview's devices go on into the call; a session after a left one starts afresh.
  // Made only when needed: a LocalMedia opens stand-in tracks (an audio context, a canvas).
  private takeMedia(create: () => LocalMedia): LocalMedia {
    if (!this.media) {
      const fresh = create();
      this.media = fresh;
      fresh.on('change', () => this.host.requestUpdate());
    }
    this.previewGeneration++;
    return this.media;
  }

  private loadCall(): Promise<CallModule> {
    this.call ??= this.options.loadCall();
    return this.call;
  }

  private watch(session: RoomSession): void {
    const host = this.host;
    session.on('state', (state) => {
      if (this.session !== session) return;
      if (state === 'joining') {
        // Announced when the call chunk started loading.
        host.requestUpdate();
        return;
      }
      if (state === 'joined')
        emit(host, 'rtc-join', { roomId: host.roomId, peerId: session.peerId });
      // The session released its devices: a later preview or join opens them afresh.
      if (state === 'left' || state === 'error') this.media = null;
      if (state === 'left') {
        this.isSignallingLost = false;
        emit(host, 'rtc-leave', { roomId: host.roomId });
      }
      this.changed(state);
    });
    session.on('peer-join', (participant) => {
      emit(host, 'rtc-peer-join', { participant });
      host.requestUpdate();
    });
    session.on('peer-leave', (participant) => {
      emit(host, 'rtc-peer-leave', { participant });
      host.requestUpdate();
    });
    session.on('participants', () => host.requestUpdate());
    session.on('message', (message) => {
      emit(host, 'rtc-message', { message });
      host.requestUpdate();
    });
    session.on('chat', () => host.requestUpdate());
    session.on('signalling', (isConnected) => {
      const wasLost = this.isSignallingLost;
      this.isSignallingLost = !isConnected;
      // Once per outage, after its `signalling-lost`: the page can stop saying so.
      if (isConnected && wasLost) {
        emit(host, 'rtc-error', {
          code: 'signalling-restored',
          message: 'Connected to the signalling server again',
        });
      }
      host.requestUpdate();
    });
    session.on('error', (error) => {
      if (error instanceof TokenExpiredError) this.askForToken();
      // While in the room, an expired token is the page's to renew, not the visitor's to read.
      if (error instanceof TokenExpiredError && session.state !== 'error') return;
      if (session.state === 'error') this.fatalError = error;
      else if (error.code !== 'signalling-lost') this.addNotice(error);
      emit(host, 'rtc-error', { code: error.code, message: error.message });
      host.requestUpdate();
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

  private report(error: RoomError): void {
    this.addNotice(error);
    emit(this.host, 'rtc-error', { code: error.code, message: error.message });
    this.host.requestUpdate();
  }

  private fail(error: RoomError): void {
    this.fatalError = error;
    emit(this.host, 'rtc-error', { code: error.code, message: error.message });
    this.changed('error');
  }

  private changed(state: RoomState): void {
    emit(this.host, 'rtc-state', { state });
    this.host.requestUpdate();
  }

  private handlePageHide = (): void => this.leave();

  private handleDeviceChange = (): void => void this.refreshDevices();
}
