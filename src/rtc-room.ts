import { LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property } from './decorators.js';
import type { ChatMessage } from './chat/chat-room.js';
import {
  parseLayout,
  parseBackground,
  parseNoiseSuppression,
  parseTheme,
  type Layout,
  type Background,
  type NoiseSuppression,
  type Theme,
} from './config.js';
import { loadPeerJsTransport } from './controllers/room-chunks.js';
import { RoomController } from './controllers/room-controller.js';
import { RoomViewParts } from './controllers/room-view-parts.js';
import type { RoomState } from './events.js';
import { loadErrorStrings, loadStrings, stringsFor, type Strings } from './i18n/strings.js';
import { remember, remembered } from './visitor-store.js';
import { readAddress } from './room-links.js';
import type { RouteMode } from './room/media-route.js';
import type { Participant } from './room/participant.js';
import type { Knocker } from './room/room-moderation.js';
import { styles } from './rtc-room.styles.js';
import type { TransportFactory } from './transport/transport.js';
import { renderPrejoin } from './ui/prejoin.js';
import { renderStatus } from './ui/status.js';

/** The query parameter a share link carries the room ID in. */
export const ROOM_QUERY_PARAMETER = 'room';

/**
 * @summary A peer-to-peer audio and video room: everyone who opens the same room ID sees and
 * hears everyone else. Media flows directly between browsers; `rtc-room-server` only
 * introduces them.
 *
 * @fires {CustomEvent<RtcJoinDetail>} rtc-join - This visitor joined the room (`roomId`, `peerId`).
 * @fires {CustomEvent<RtcLeaveDetail>} rtc-leave - This visitor left the room.
 * @fires {CustomEvent<RtcPeerDetail>} rtc-peer-join - Someone else joined (`participant`).
 * @fires {CustomEvent<RtcPeerDetail>} rtc-peer-leave - Someone else left (`participant`).
 * @fires {CustomEvent<RtcStateDetail>} rtc-state - `state` changed.
 * @fires {CustomEvent<RtcMessageDetail>} rtc-message - A chat message or picture (`message`), own or
 *   another's, live or from the history a late joiner receives.
 * @fires {CustomEvent<RtcSpeakerDetail>} rtc-speaker - The active speaker changed (`participant`, a
 *   remote one, or null when they left); the `speaker` layout follows them unless a tile is pinned.
 * @fires {CustomEvent<RtcErrorDetail>} rtc-error - Something failed, or stopped failing; `code` is
 *   stable (`permission-denied`, `no-device`, `room-full`, `server-unreachable`, `bad-ice-servers`,
 *   …); `signalling-lost` comes once per outage and `signalling-restored` once it is over.
 * @fires {CustomEvent<RtcTokenExpiredDetail>} rtc-token-expired - The server refused the join token
 *   as expired (`roomId`): set a fresh `token`; the call goes on, a join that failed is retried.
 * @fires {CustomEvent<RtcRoomLockDetail>} rtc-room-lock - A host locked or unlocked the room (`locked`).
 * @fires {CustomEvent<RtcKnockDetail>} rtc-knock - Someone knocked at the locked room's door
 *   (`knocker`: `id`, `name`); hosts only. Answer with `admit(id)` or `deny(id)`.
 * @fires {CustomEvent<RtcReactionDetail>} rtc-reaction - Someone reacted (`participant`, `emoji`).
 * @fires {CustomEvent<RtcModeDetail>} rtc-mode - Media goes another way (`mode`): `sfu` once a large
 *   room moved to the media server and every tile plays through it.
 *
 * @csspart lobby - The "create or join a room" panel (no `room-id`).
 * @csspart prejoin - The panel before joining, with the Join button.
 * @csspart status - Connecting, waiting, left and error panels.
 * @csspart waiting - The panel of a visitor waiting at a locked room's door (also `status`).
 * @csspart removed - The "You were removed" panel (also `status`).
 * @csspart notice - A problem the visitor should read while the room goes on.
 * @csspart stage - The area holding the tiles.
 * @csspart tile - One participant.
 * @csspart tile-local - The visitor's own tile (also has part `tile`).
 * @csspart tile-speaking - The active speaker's tile (also has part `tile`).
 * @csspart tile-screen - A shared screen's tile (also has part `tile`).
 * @csspart tile-featured - The tile in the large slot of `speaker` and `sidebar` (also `tile`).
 * @csspart video - A participant's video.
 * @csspart reconnecting - Over a participant silent for 5 s while a fresh call is tried (removed
 *   20 s after its last frame).
 * @csspart placeholder - Shown instead of video when a camera is off.
 * @csspart name - A participant's name (and muted icon).
 * @csspart host-badge - The "Host" badge on a host's tile.
 * @csspart hand - The raised hand on a tile.
 * @csspart reaction - A reaction shown for a moment over its sender's tile.
 * @csspart reaction-button - Opens the reaction menu (also has part `button`).
 * @csspart reaction-menu - The reactions one may send.
 * @csspart host-panel - A host's controls: the lock, the host link, the knock panel.
 * @csspart knock-panel - The visitors waiting at the door, each with Admit and Deny.
 * @csspart host-menu-button - Opens a host's menu on a remote tile (also has part `button`).
 * @csspart host-menu - On a remote tile, for a host: turn their microphone off, lower their
 *   hand, remove them.
 * @csspart quality - The connection quality bars on a remote tile (good, fair or poor).
 * @csspart info-button - Opens a participant's connection details (also has part `button`).
 * @csspart connection-info - The connection details: direct or relayed (TURN), round trip.
 * @csspart safety-code - In the connection details, the safety code to compare aloud.
 * @csspart controls - The bar of call controls.
 * @csspart layout-button - Opens the layout menu (also has part `button`).
 * @csspart layout-menu - The layout menu: grid, speaker, sidebar.
 * @csspart device-button - Opens the device menu (also has part `button`).
 * @csspart device-menu - The camera, microphone and speaker pickers during the call.
 * @csspart noise-toggle - The strong noise suppression switch beside the pickers.
 * @csspart background-select - The background picker (none, blur, a picture) beside the pickers
 *   (also has part `select`).
 * @csspart preview - The camera preview before joining, with the microphone meter.
 * @csspart level - The microphone meter in the preview.
 * @csspart select - Every device picker.
 * @csspart badge - The unread count on the chat button.
 * @csspart chat - The chat panel; its own parts are exported: `messages`, `message`, `message-own`,
 *   `sender`, `time`, `text`, `link`, `picture`, `progress`, `picture-status`, `file`, `file-name`,
 *   `file-status`, `refusal`, `composer`, `emoji-picker`, `emoji`, `picture-dialog` (and `input`,
 *   `button`).
 * @csspart button - Every button.
 * @csspart input - Every text field.
 * @csspart share - The invite link.
 *
 * @cssproperty --rtc-room-background - Background of the room (#111418 dark, #ffffff light).
 * @cssproperty --rtc-room-foreground - Text colour (#f1f3f5 dark, #1f2328 light).
 * @cssproperty [--rtc-room-accent=#2563eb] - Accent (primary buttons, focus rings).
 * @cssproperty --rtc-room-danger - Leave button and errors (#e5484d dark, #cf222e light).
 * @cssproperty --rtc-room-tile-background - Behind video and placeholders (#22272e dark,
 *   #e8ebef light).
 * @cssproperty [--rtc-room-radius=12px] - Corner radius of tiles and buttons.
 * @cssproperty [--rtc-room-gap=8px] - Space between tiles, in any unit (read again when the
 *   room's box changes size).
 * @cssproperty [--rtc-room-font=system-ui, sans-serif] - Font family.
 * @cssproperty [--rtc-room-chat-width=320px] - Width of the chat panel beside the tiles (at most
 *   45% of the room).
 * @cssproperty --rtc-room-chat-own-background - Behind the visitor's own messages.
 * @cssproperty [--rtc-room-chat-thumbnail-size=200px] - Largest side of a picture's thumbnail.
 */
@customElement('rtc-room')
export class RtcRoom extends LitElement {
  static override styles = styles;

  private readonly room: RoomController = new RoomController(this, {
    scriptUrl: import.meta.url,
    loadTransport: () => this.loadTransport(),
    loadCall: () => this.parts.loadCall(),
    watchModeration: (moderation) => this.parts.moderation.watch(moderation),
  });
  private readonly parts: RoomViewParts = new RoomViewParts(
    this,
    this.room,
    () => this.strings,
    ROOM_QUERY_PARAMETER,
    import.meta.url,
  );

  /** The room to join. Without it the element offers to create a room or join one by ID. */
  @property({ attribute: 'room-id', reflect: true }) roomId = '';

  /** Base URL of `rtc-room-server`; default: the origin this script was loaded from. */
  @property() server: string | null = null;

  /** The visitor's display name, shown to the others. */
  @property({ reflect: true }) name = '';

  /** How tiles are arranged. */
  @property({ reflect: true, converter: { fromAttribute: parseLayout } }) layout: Layout = 'grid';

  /** `light`, `dark`, or `auto` (default): the visitor's `prefers-color-scheme`. */
  @property({ reflect: true, converter: { fromAttribute: parseTheme } }) theme: Theme = 'auto';

  /** JSON array of RTCIceServer (STUN/TURN); overrides the server's ICE configuration. */
  @property({ attribute: 'ice-servers' }) iceServers: string | null = null;

  /** A join token (JWT) from the host site's backend, when the server wants one. */
  @property() token: string | null = null;

  /** `all` (default) or `relay` (only through TURN). */
  @property({ attribute: 'ice-transport-policy', reflect: true })
  iceTransportPolicy: 'all' | 'relay' = 'all';

  /**
   * `browser` (default): the browser's own noise suppression, echo cancellation and gain control;
   * `strong`: RNNoise on the microphone (loaded when first used; `browser` where the browser
   * cannot run it); `off`: none of them. The visitor can switch it in the device menu.
   */
  @property({
    attribute: 'noise-suppression',
    reflect: true,
    converter: { fromAttribute: parseNoiseSuppression },
  })
  noiseSuppression: NoiseSuppression = 'browser';

  /**
   * What is behind the visitor in the video sent: `none` (default), `blur`, or the URL of a
   * picture (CORS-readable). Loaded when first used, in Chromium and Edge (elsewhere `none`, and
   * the picker says why). The visitor's own choice in the picker is remembered for the next visit
   * and taken when the page sets none.
   */
  @property({ converter: { fromAttribute: parseBackground } }) background: Background = 'none';

  /**
   * Where the background effect's files (MediaPipe selfie segmentation) are, for a site that
   * hosts them itself; default: the rtc-room-server the script came from, at `/mediapipe/`.
   */
  @property({ attribute: 'background-assets' }) backgroundAssets = '';

  /** Join with the microphone off. */
  @property({ type: Boolean, reflect: true }) muted = false;

  /** Join with the camera off. */
  @property({ attribute: 'video-off', type: Boolean, reflect: true }) videoOff = false;

  /** Join as soon as the element is in the page with a `room-id`, without a Join button. */
  @property({ attribute: 'no-prejoin', type: Boolean, reflect: true }) noPrejoin = false;

  /** Hide the chat (text, emoji and pictures); the call works as before. */
  @property({ attribute: 'no-chat', type: Boolean, reflect: true }) noChat = false;

  /** Largest picture accepted in chat, in bytes; can only lower the built-in 8 MiB. */
  @property({ attribute: 'max-image-size', type: Number }) maxImageSize = 0;

  /** Largest file offered or downloaded in chat, in bytes; can only lower the built-in 256 MiB. */
  @property({ attribute: 'max-file-size', type: Number }) maxFileSize = 0;

  /** UI language (`en`, `zh-CN`); default: the page's language. */
  // Reflected like the native attribute, but never as lang="", which would hide the page's language.
  @property({ reflect: true, converter: { toAttribute: (value: string) => value || null } })
  override lang = '';

  /**
   * Loads the PeerJS transport when a visitor joins, keeping PeerJS out of the first download.
   * @internal Component tests put a fake transport here.
   */
  loadTransport: () => Promise<TransportFactory> = loadPeerJsTransport;

  /**
   * Where the visit is: `idle`, `prejoin`, `joining`, `waiting` (at a locked room's door until a
   * host lets this visitor in), `joined`, `left` or `error`.
   */
  get state(): RoomState {
    return this.room.state;
  }

  /**
   * Everyone in the room, this visitor first (empty unless joining or joined); a remote
   * participant's `connection.state` is `connecting`, `connected`, `reconnecting` or `unreachable`.
   * A peer whose picture is on the way before it introduces itself is listed `connecting` with
   * `name` empty; `rtc-peer-join` fires once its name is known.
   */
  get participants(): readonly Participant[] {
    return this.room.participants;
  }

  /**
   * How media reaches the others: `mesh` (peer to peer) or `sfu`, once the room grew large
   * enough for the server to move it to its media server (Janus).
   */
  get mode(): RouteMode {
    return this.room.mode;
  }

  /** The chat so far, in the order every participant sees it. */
  get messages(): readonly ChatMessage[] {
    return this.room.chat?.messages ?? [];
  }

  /** Whether the room is locked: newcomers wait at the door until a host lets them in. */
  get locked(): boolean {
    return this.room.moderation?.locked ?? false;
  }

  /** Who waits at the door of the locked room, having knocked (known to hosts only). */
  get knocking(): readonly Knocker[] {
    return this.room.moderation?.knocking ?? [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.roomId = readAddress(this.roomId, ROOM_QUERY_PARAMETER);
    this.name ||= remembered('name');
    if (this.background === 'none') this.background = remembered('background') || 'none';
  }

  // Rendering waits for a language other than English, a chunk of its own, so that a Chinese
  // visitor never sees English first; for the English error texts once one shows; and for the offers and answers being made, which a render
  // would hold up, and the call with them.
  protected override scheduleUpdate(): void | Promise<unknown> {
    const waits = [
      loadStrings(this.languageTag),
      this.room.whenDescribed(),
      this.room.showsError && loadErrorStrings(),
    ].filter(Boolean);
    return waits.length > 0
      ? Promise.all(waits).then(() => super.scheduleUpdate())
      : super.scheduleUpdate();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('roomId')) this.room.roomIdChanged(changed.get('roomId'), !this.hasUpdated);
    if (changed.has('name') && this.state === 'joined') this.room.setName(this.name);
    if (changed.has('token') && this.hasUpdated) this.room.tokenChanged();
  }

  protected override updated(): void {
    // After this update, not during it: joining changes state and renders again.
    if (this.noPrejoin && this.state === 'prejoin') queueMicrotask(() => void this.join());
  }

  private get languageTag(): string {
    return this.lang || document.documentElement.lang || navigator.language;
  }

  private get strings(): Strings {
    return stringsFor(this.languageTag);
  }

  private handleNameInput(event: InputEvent): void {
    this.name = (event.target as HTMLInputElement).value;
  }

  private handlePrejoinSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.join();
  }

  private handleRejoin(): void {
    this.room.reset();
    void this.join();
  }

  /** Joins the room named by `room-id` (asks for camera and microphone first). */
  async join(): Promise<void> {
    const name = this.name;
    // A failed join resolves too (the element shows why): the name is stored either way, once
    // the calls are out, as a first write to the page's storage holds the thread a few ms.
    await this.room.join();
    remember('name', name);
  }

  /** Leaves the room, says goodbye to everyone and releases camera and microphone. */
  leave(): void {
    this.room.leave();
  }

  /** Turns the microphone on or off; rejects with a RoomError (`permission-denied`, …). */
  setMicrophoneEnabled(on: boolean): Promise<void> {
    return this.room.setMicrophoneEnabled(on);
  }

  /**
   * Shares a screen, window or tab with everyone (the browser asks which); everyone sees it as a
   * tile of its own, large in the `speaker` layout. Rejects with a RoomError
   * (`screen-share-denied`, `screen-share-unsupported`).
   */
  startScreenShare(): Promise<void> {
    return this.room.startScreenShare();
  }

  /** Stops sharing the screen (the browser's own "Stop sharing" does the same). */
  stopScreenShare(): void {
    this.room.stopScreenShare();
  }

  /** Turns the camera on or off; rejects with a RoomError (`permission-denied`, …). */
  setCameraEnabled(on: boolean): Promise<void> {
    return this.room.setCameraEnabled(on);
  }

  /**
   * Sends a chat message to everyone reachable. Resolves with the message; its `delivery` is
   * `sent` once it is on a peer's channel, or `pending` when nobody was reachable (it goes out by
   * itself as soon as someone is, and nothing resolves as sent that reached nobody); rejects with
   * a RoomError (`chat-empty`, `chat-too-long`, `chat-rate-limited`, `chat-closed`).
   */
  sendMessage(text: string): Promise<ChatMessage> {
    return this.room.sendMessage(text);
  }

  /**
   * Sends a PNG, JPEG, GIF or WebP picture to everyone. Resolves with it once sent; rejects with
   * a RoomError (`image-too-large`, `image-unsupported`, `chat-rate-limited`, `chat-closed`).
   */
  sendImage(file: Blob): Promise<ChatMessage> {
    return this.room.sendImage(file);
  }

  /**
   * Offers a file of any type to everyone (its name, size, type and SHA-256; the bytes go to each
   * who downloads it). Resolves with its message; rejects with a RoomError (`file-too-large`,
   * `chat-rate-limited`, `chat-closed`).
   */
  sendFile(file: Blob): Promise<ChatMessage> {
    return this.room.withFiles((files) => files.send(file));
  }

  /**
   * Downloads a file offered in chat (`messageId`) from its sender, checking its SHA-256; resolves
   * with its message once the download ended (`file.state` `done`, with `file.url` to save it, or
   * `failed` or `unavailable`). Rejects with a RoomError (`file-unavailable`, `file-too-large`).
   */
  downloadFile(messageId: string): Promise<ChatMessage> {
    return this.room.withFiles((files) => files.download(messageId));
  }

  /** Stops a file's download under way; it is `offered` again. Resolves with its message. */
  cancelFile(messageId: string): Promise<ChatMessage> {
    return this.room.withFiles((files) => files.cancel(messageId));
  }

  /** Locks the room: newcomers knock and wait. Hosts only: rejects with `not-host` for a guest. */
  lockRoom(): Promise<void> {
    return this.parts.moderation.command({ command: 'lock' });
  }

  /** Unlocks the room, letting in whoever waits. Hosts only (`not-host`). */
  unlockRoom(): Promise<void> {
    return this.parts.moderation.command({ command: 'unlock' });
  }

  /** Lets a knocking visitor in (its `id` from `knocking` or `rtc-knock`). Hosts only. */
  admit(id: string): Promise<void> {
    return this.parts.moderation.command({ command: 'admit', id });
  }

  /** Turns a knocking visitor away: it gets `rtc-error` `denied`. Hosts only (`not-host`). */
  deny(id: string): Promise<void> {
    return this.parts.moderation.command({ command: 'deny', id });
  }

  /** Removes a participant for the rest of the room's life. Hosts only (`not-host`). */
  removeParticipant(id: string): Promise<void> {
    return this.parts.moderation.command({ command: 'remove', id });
  }

  /** Turns a participant's microphone off (they may turn it on again). Hosts only. */
  muteParticipant(id: string): Promise<void> {
    return this.parts.moderation.command({ command: 'mute', id });
  }

  /** Raises (true) or lowers this visitor's hand, for everyone to see. */
  raiseHand(on: boolean): Promise<void> {
    return this.parts.moderation.command({ command: 'hand', raised: on });
  }

  /** Shows a reaction, one of `REACTIONS`, over this visitor's tile for everyone. */
  react(emoji: string): Promise<void> {
    return this.parts.moderation.command({ command: 'react', emoji });
  }

  /** WebRTC statistics of the connection to one participant, or null. */
  getStats(peerId: string): Promise<RTCStatsReport | null> {
    return this.room.getStats(peerId);
  }

  override render(): TemplateResult {
    const strings = this.strings;
    // Removed: no way back in. Any other error: the status panel, with a way to try again.
    if (this.room.fatalError?.code === 'removed') return this.parts.renderDoor(strings);
    switch (this.state) {
      case 'idle':
        return this.parts.renderLobby(strings);
      case 'prejoin':
        return renderPrejoin({
          strings,
          roomId: this.roomId,
          name: this.name,
          media: this.parts.renderPrejoinDevices(strings),
          onNameInput: this.handleNameInput,
          onJoin: this.handlePrejoinSubmit,
        });
      case 'joined':
        return this.parts.renderJoined(strings);
      case 'waiting':
        return this.parts.renderDoor(strings);
      default:
        return renderStatus({
          strings,
          state: this.state,
          error: this.room.fatalError?.code ?? 'internal',
          onRejoin: this.handleRejoin,
        });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-room': RtcRoom;
  }
}
