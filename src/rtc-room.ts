import {
  LitElement,
  html,
  nothing,
  type PropertyValues,
  type SVGTemplateResult,
  type TemplateResult,
} from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ChatMessage } from './chat/chat-room.js';
import { parseLayout, type Layout } from './config.js';
import { RoomController } from './controllers/room-controller.js';
import { emit, type RoomState } from './events.js';
import { stringsFor, type Strings } from './i18n/strings.js';
import type { Participant } from './room/participant.js';
import { isRoomId } from './room/room-id.js';
import { styles } from './rtc-room.styles.js';
import './ui/chat-panel.js';
import type { ChatSendImageDetail, ChatSendTextDetail } from './ui/chat-panel.js';
import { cameraIcon, cameraOffIcon, chatIcon, leaveIcon, micIcon, micOffIcon } from './ui/icons.js';
import { renderTile } from './ui/tile.js';

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
 * @fires {CustomEvent<RtcErrorDetail>} rtc-error - Something failed; `code` is stable
 *   (`permission-denied`, `no-device`, `room-full`, `server-unreachable`, `bad-ice-servers`, …).
 *
 * @csspart lobby - The "create or join a room" panel (no `room-id`).
 * @csspart prejoin - The panel before joining, with the Join button.
 * @csspart status - Connecting, left and error panels.
 * @csspart notice - A problem the visitor should read while the room goes on.
 * @csspart stage - The area holding the tiles.
 * @csspart tile - One participant.
 * @csspart tile-local - The visitor's own tile (also has part `tile`).
 * @csspart video - A participant's video.
 * @csspart placeholder - Shown instead of video when a camera is off.
 * @csspart name - A participant's name (and muted icon).
 * @csspart info-button - Opens a participant's connection details (also has part `button`).
 * @csspart connection-info - The connection details: direct or relayed (TURN), round trip.
 * @csspart controls - The bar of call controls.
 * @csspart badge - The unread count on the chat button.
 * @csspart chat - The chat panel; its own parts are exported: `messages`, `message`, `message-own`,
 *   `sender`, `time`, `text`, `link`, `picture`, `progress`, `picture-status`, `refusal`,
 *   `composer`, `emoji-picker`, `emoji`, `picture-dialog` (and `input`, `button`).
 * @csspart button - Every button.
 * @csspart input - Every text field.
 * @csspart share - The invite link.
 *
 * @cssproperty --rtc-room-background - Background of the room.
 * @cssproperty --rtc-room-foreground - Text colour.
 * @cssproperty --rtc-room-accent - Accent (primary buttons, focus rings).
 * @cssproperty --rtc-room-danger - Leave button and errors.
 * @cssproperty --rtc-room-tile-background - Behind video and placeholders.
 * @cssproperty --rtc-room-radius - Corner radius of tiles and buttons.
 * @cssproperty --rtc-room-gap - Space between tiles.
 * @cssproperty --rtc-room-font - Font family.
 * @cssproperty --rtc-room-min-tile-width - Narrowest a tile gets in the grid layout.
 * @cssproperty --rtc-room-chat-width - Width of the chat panel beside the tiles.
 * @cssproperty --rtc-room-chat-own-background - Behind the visitor's own messages.
 * @cssproperty --rtc-room-chat-thumbnail-size - Largest side of a picture's thumbnail.
 */
@customElement('rtc-room')
export class RtcRoom extends LitElement {
  static override styles = styles;

  private readonly room = new RoomController(this, {
    scriptUrl: import.meta.url,
    loadTransport: () =>
      import('./transport/peerjs-transport.js').then((module) => module.createPeerJsTransport),
  });

  @state() private roomIdDraft = '';
  @state() private isRoomIdDraftInvalid = false;
  @state() private needsSoundUnlock = false;
  @state() private isLinkCopied = false;
  @state() private isChatOpen = false;

  /** The room to join. Without it the element offers to create a room or join one by ID. */
  @property({ attribute: 'room-id', reflect: true }) roomId = '';

  /** Base URL of `rtc-room-server`; default: the origin this script was loaded from. */
  @property() server: string | null = null;

  /** The visitor's display name, shown to the others. */
  @property({ reflect: true }) name = '';

  /** How tiles are arranged. */
  @property({ reflect: true, converter: { fromAttribute: parseLayout } }) layout: Layout = 'grid';

  /** JSON array of RTCIceServer (STUN/TURN); overrides the server's ICE configuration. */
  @property({ attribute: 'ice-servers' }) iceServers: string | null = null;

  /** `all` (default) or `relay` (only through TURN). */
  @property({ attribute: 'ice-transport-policy', reflect: true })
  iceTransportPolicy: 'all' | 'relay' = 'all';

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

  /** UI language (`en`, `zh-CN`); default: the page's language. */
  // Reflected like the native attribute, but never as lang="", which would hide the page's language.
  @property({ reflect: true, converter: { toAttribute: (value: string) => value || null } })
  override lang = '';

  /** Where the visit is: `idle`, `prejoin`, `joining`, `joined`, `left` or `error`. */
  get state(): RoomState {
    return this.room.state;
  }

  /** Everyone in the room, this visitor first (empty unless joining or joined). */
  get participants(): readonly Participant[] {
    return this.room.participants;
  }

  /** The chat so far, in the order every participant sees it. */
  get messages(): readonly ChatMessage[] {
    return this.room.messages;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.roomId) {
      const fromLink = new URLSearchParams(location.search).get(ROOM_QUERY_PARAMETER);
      if (isRoomId(fromLink)) this.roomId = fromLink;
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('roomId') && this.hasUpdated) {
      // A new room ID ends the visit to the old room; a first one moves idle to prejoin.
      if (changed.get('roomId') && this.state !== 'prejoin') this.room.reset();
      else if (!changed.get('roomId') && this.state === 'prejoin') {
        emit(this, 'rtc-state', { state: 'prejoin' });
      }
    }
    if (changed.has('name') && this.state === 'joined') this.room.setName(this.name);
  }

  protected override updated(): void {
    // An open chat panel is read: nothing in it counts as unread.
    if (this.isChatOpen && !this.noChat && this.room.unreadMessages > 0) {
      this.room.markMessagesRead();
    }
    // After this update, not during it: joining changes state and renders again.
    if (this.noPrejoin && this.state === 'prejoin') queueMicrotask(() => void this.join());
    this.playRemoteMedia();
  }

  private get strings(): Strings {
    return stringsFor(this.lang || document.documentElement.lang || navigator.language);
  }

  private get shareUrl(): string {
    const url = new URL(location.href);
    url.searchParams.set(ROOM_QUERY_PARAMETER, this.roomId);
    url.hash = '';
    return url.href;
  }

  // Browsers may refuse to play sound before the visitor touched the page (no-prejoin joins).
  private playRemoteMedia(): void {
    const videos = this.renderRoot.querySelectorAll<HTMLVideoElement>('video');
    for (const video of videos) {
      if (!video.paused || !video.srcObject) continue;
      video.play().catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'NotAllowedError') {
          this.needsSoundUnlock = true;
        }
      });
    }
  }

  private handleCreateRoom(): void {
    this.roomId = crypto.randomUUID();
    history.replaceState(history.state, '', this.shareUrl);
    void this.join();
  }

  private handleJoinById(event: SubmitEvent): void {
    event.preventDefault();
    const typed = this.roomIdDraft.trim();
    let candidate = typed;
    try {
      candidate = new URL(typed).searchParams.get(ROOM_QUERY_PARAMETER) ?? typed;
    } catch {
      // Not a link: the visitor typed the ID itself.
    }
    if (!isRoomId(candidate)) {
      this.isRoomIdDraftInvalid = true;
      return;
    }
    this.isRoomIdDraftInvalid = false;
    this.roomId = candidate;
    void this.join();
  }

  private handleRoomIdInput(event: InputEvent): void {
    this.roomIdDraft = (event.target as HTMLInputElement).value;
    this.isRoomIdDraftInvalid = false;
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

  private handleSoundUnlock(): void {
    this.needsSoundUnlock = false;
    this.playRemoteMedia();
  }

  private async handleCopyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.shareUrl);
      this.isLinkCopied = true;
      setTimeout(() => (this.isLinkCopied = false), 2000);
    } catch {
      // Clipboard refused (no permission): the link stays visible to copy by hand.
    }
  }

  private handleToggleChat(): void {
    this.isChatOpen = !this.isChatOpen;
  }

  private handleChatText(event: CustomEvent<ChatSendTextDetail>): void {
    // A refusal is reported as rtc-error and shown; the promise is for script callers.
    this.sendMessage(event.detail.text).catch(() => undefined);
  }

  private handleChatImage(event: CustomEvent<ChatSendImageDetail>): void {
    this.sendImage(event.detail.file).catch(() => undefined);
  }

  private handleToggleMicrophone(): void {
    const local = this.participants[0];
    void this.setMicrophoneEnabled(!local?.hasAudio).catch(() => undefined);
  }

  private handleToggleCamera(): void {
    const local = this.participants[0];
    void this.setCameraEnabled(!local?.hasVideo).catch(() => undefined);
  }

  /** Joins the room named by `room-id` (asks for camera and microphone first). */
  async join(): Promise<void> {
    await this.room.join();
  }

  /** Leaves the room, says goodbye to everyone and releases camera and microphone. */
  leave(): void {
    this.room.leave();
  }

  /** Turns the microphone on or off; rejects with a RoomError (`permission-denied`, …). */
  setMicrophoneEnabled(on: boolean): Promise<void> {
    return this.room.setMicrophoneEnabled(on);
  }

  /** Turns the camera on or off; rejects with a RoomError (`permission-denied`, …). */
  setCameraEnabled(on: boolean): Promise<void> {
    return this.room.setCameraEnabled(on);
  }

  /**
   * Sends a chat message to everyone. Resolves with it once sent; rejects with a RoomError
   * (`chat-empty`, `chat-too-long`, `chat-rate-limited`, `chat-closed`).
   */
  sendMessage(text: string): Promise<ChatMessage> {
    return this.room.sendMessage(text);
  }

  /**
   * Sends a PNG, JPEG, GIF or WebP picture to everyone. Resolves once everyone has all of it;
   * rejects with a RoomError (`image-too-large`, `image-unsupported`, `chat-closed`).
   */
  sendImage(file: Blob): Promise<ChatMessage> {
    return this.room.sendImage(file);
  }

  /** WebRTC statistics of the connection to one participant, or null. */
  getStats(peerId: string): Promise<RTCStatsReport | null> {
    return this.room.getStats(peerId);
  }

  override render(): TemplateResult {
    const strings = this.strings;
    switch (this.state) {
      case 'idle':
        return this.renderLobby(strings);
      case 'prejoin':
        return this.renderPrejoin(strings);
      case 'joining':
        return html`<div part="status" class="status" role="status">${strings.connecting}</div>`;
      case 'joined':
        return this.renderRoom(strings);
      case 'left':
        return html`<div part="status" class="status" role="status">
          <p>${strings.leftTitle}</p>
          <button part="button" class="primary" @click=${this.handleRejoin}>
            ${strings.rejoin}
          </button>
        </div>`;
      case 'error':
        return html`<div part="status" class="status error" role="alert">
          <p>${strings.errors[this.room.fatalError?.code ?? 'internal']}</p>
          <button part="button" class="primary" @click=${this.handleRejoin}>
            ${strings.retry}
          </button>
        </div>`;
    }
  }

  private renderLobby(strings: Strings): TemplateResult {
    return html`<div part="lobby" class="panel">
      <button part="button" class="primary" @click=${this.handleCreateRoom}>
        ${strings.createRoom}
      </button>
      <form class="row" @submit=${this.handleJoinById}>
        <label>
          <span>${strings.roomIdLabel}</span>
          <input
            part="input"
            name="room-id"
            autocomplete="off"
            spellcheck="false"
            .value=${this.roomIdDraft}
            aria-invalid=${this.isRoomIdDraftInvalid ? 'true' : 'false'}
            aria-describedby="room-id-error"
            @input=${this.handleRoomIdInput}
          />
        </label>
        <button part="button" type="submit">${strings.joinById}</button>
      </form>
      <p id="room-id-error" class="field-error" role="alert">
        ${this.isRoomIdDraftInvalid ? strings.roomIdInvalid : nothing}
      </p>
    </div>`;
  }

  private renderPrejoin(strings: Strings): TemplateResult {
    return html`<form part="prejoin" class="panel" @submit=${this.handlePrejoinSubmit}>
      <p class="room-label">${strings.roomLabel} <code>${this.roomId}</code></p>
      <label>
        <span>${strings.nameLabel}</span>
        <input
          part="input"
          name="name"
          maxlength="64"
          autocomplete="nickname"
          .value=${this.name}
          @input=${this.handleNameInput}
        />
      </label>
      <button part="button" class="primary" type="submit">${strings.join}</button>
    </form>`;
  }

  // A device button: pressed (red) while the device is off, labelled with what a press does.
  private renderToggle({ isOn, labels, icons, action, handler }: Toggle): TemplateResult {
    const label = labels[isOn ? 1 : 0];
    return html`<button
      part="button"
      aria-pressed=${isOn ? 'false' : 'true'}
      aria-label=${label}
      title=${label}
      data-action=${action}
      @click=${handler}
    >
      ${icons[isOn ? 1 : 0]}
    </button>`;
  }

  private renderChatToggle(strings: Strings): TemplateResult {
    const unread = this.room.unreadMessages;
    const label =
      unread > 0 ? `${strings.chat.title}, ${strings.chat.unread(unread)}` : strings.chat.title;
    return html`<button
      part="button"
      class="chat-toggle"
      aria-expanded=${this.isChatOpen ? 'true' : 'false'}
      aria-label=${label}
      title=${label}
      data-action="chat"
      @click=${this.handleToggleChat}
    >
      ${chatIcon}
      ${
        unread > 0 && !this.isChatOpen
          ? html`<span part="badge" class="badge" aria-hidden="true"
              >${unread > 99 ? '99+' : unread}</span
            >`
          : nothing
      }
    </button>`;
  }

  private renderChat(strings: Strings): TemplateResult {
    return html`<rtc-chat-panel
      part="chat"
      class="chat"
      exportparts="messages, message, message-own, sender, time, text, link, picture, progress, picture-status, refusal, composer, input, button, emoji-picker, emoji, picture-dialog"
      .messages=${this.room.messages}
      .strings=${strings.chat}
      .maxImageBytes=${this.room.maxImageBytes ?? 0}
      @chat-send-text=${this.handleChatText}
      @chat-send-image=${this.handleChatImage}
    ></rtc-chat-panel>`;
  }

  private renderRoom(strings: Strings): TemplateResult {
    const participants = this.participants;
    const local = participants[0];
    return html`
      ${this.room.notices.map(
        (notice) =>
          html`<p part="notice" class="notice" role="alert">
            <span>${strings.errors[notice.code]}</span>
            <button
              part="button"
              class="dismiss"
              aria-label=${strings.dismiss}
              title=${strings.dismiss}
              @click=${() => this.room.dismissNotice(notice.code)}
            >
              ×
            </button>
          </p>`,
      )}
      ${
        this.room.isSignallingLost
          ? html`<p part="notice" class="notice" role="status">${strings.reconnecting}</p>`
          : nothing
      }
      ${
        this.needsSoundUnlock
          ? html`<button part="button" class="notice" @click=${this.handleSoundUnlock}>
              ${strings.enableSound}
            </button>`
          : nothing
      }
      <div class="body">
        <section part="stage" class="stage" aria-label=${strings.participants(participants.length)}>
          ${participants.map((participant) => renderTile(participant, strings))}
        </section>
        ${this.isChatOpen && !this.noChat ? this.renderChat(strings) : nothing}
      </div>
      ${participants.length === 1 ? html`<p class="hint">${strings.alone}</p>` : nothing}
      <div part="controls" class="controls" role="toolbar" aria-label=${strings.controls}>
        ${this.renderToggle({
          isOn: local?.hasAudio ?? false,
          labels: [strings.unmuteMicrophone, strings.muteMicrophone],
          icons: [micOffIcon, micIcon],
          action: 'microphone',
          handler: this.handleToggleMicrophone,
        })}
        ${this.renderToggle({
          isOn: local?.hasVideo ?? false,
          labels: [strings.cameraOn, strings.cameraOff],
          icons: [cameraOffIcon, cameraIcon],
          action: 'camera',
          handler: this.handleToggleCamera,
        })}
        ${this.noChat ? nothing : this.renderChatToggle(strings)}
        <button
          part="button"
          class="danger"
          aria-label=${strings.leave}
          title=${strings.leave}
          data-action="leave"
          @click=${this.leave}
        >
          ${leaveIcon}
        </button>
      </div>
      <div part="share" class="share">
        <label>
          <span>${strings.shareLink}</span>
          <input part="input" readonly .value=${this.shareUrl} @focus=${selectAll} />
        </label>
        <button part="button" @click=${this.handleCopyLink}>
          ${this.isLinkCopied ? strings.copied : strings.copyLink}
        </button>
      </div>
    `;
  }
}

interface Toggle {
  isOn: boolean;
  /** What pressing does, when off and when on. */
  labels: [string, string];
  icons: [SVGTemplateResult, SVGTemplateResult];
  action: string;
  handler: () => void;
}

function selectAll(event: FocusEvent): void {
  (event.target as HTMLInputElement).select();
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-room': RtcRoom;
  }
}
