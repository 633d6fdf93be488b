import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../chat/chat-room.js';
import type { Layout } from '../config.js';
import type { ChatPaneController } from '../controllers/chat-pane-controller.js';
import type { CopyLinkController } from '../controllers/copy-link-controller.js';
import type { FullscreenController } from '../controllers/fullscreen-controller.js';
import type { PlaybackController } from '../controllers/playback-controller.js';
import type { ModerationController } from '../controllers/moderation-controller.js';
import type { RoomController } from '../controllers/room-controller.js';
import type { Strings } from '../i18n/strings.js';
import type { Participant } from '../room/participant.js';
import type { RoomCommand } from '../room/room-protocol.js';
import type { ChatSendImageDetail, ChatSendTextDetail } from './chat-panel.js';
import type { HostControlsView } from './host-view.js';
import { renderControls } from './controls.js';
import { devicePickersOf } from './device-views.js';
import { renderIconButton } from './icon-button.js';
import { closeIcon } from './icons.js';
import { arrangeStage, type StageOptions } from './stage.js';
import { renderTile } from './tile.js';

/** What the joined room's buttons act on: the element's public properties and methods. */
export interface RoomActions {
  readonly participants: readonly Participant[];
  layout: Layout;
  readonly noChat: boolean;
  leave(): void;
  setMicrophoneEnabled(on: boolean): Promise<void>;
  setCameraEnabled(on: boolean): Promise<void>;
  startScreenShare(): Promise<void>;
  stopScreenShare(): void;
  sendMessage(text: string): Promise<ChatMessage>;
  sendImage(file: Blob): Promise<ChatMessage>;
  readonly maxFileSize: number;
  sendFile(file: Blob): Promise<ChatMessage>;
  downloadFile(messageId: string): Promise<ChatMessage>;
  cancelFile(messageId: string): Promise<ChatMessage>;
  raiseHand(on: boolean): Promise<void>;
  react(emoji: string): Promise<void>;
}

/** Everything the joined room shows and acts on. */
export interface JoinedRoomView {
  strings: Strings;
  element: RoomActions;
  room: RoomController;
  playback: PlaybackController;
  fullscreen: FullscreenController;
  chatPane: ChatPaneController;
  copyLink: CopyLinkController;
  /** The invite link. */
  shareUrl: string;
  /** The link that gives host rights, for a host whose browser holds the room's key. */
  hostLink: string | null;
  /** Moderation: reactions shown now, who muted this visitor, the host's controls. */
  moderation: ModerationController;
  stage: StageOptions;
  onTogglePin: (id: string) => void;
  /** What the screen reader is told last (a message, someone joining). */
  announcement: string;
}

// A host's command from a button: a refusal is reported as `rtc-error`, not thrown at the page.
const actOf =
  ({ moderation }: JoinedRoomView) =>
  (command: RoomCommand): void =>
    void moderation.command(command).catch(() => undefined);

// Tiles keep their elements (keyed by ID) and only move: a video never reloads on a render.
function renderStage(view: JoinedRoomView) {
  const { strings, element, stage, fullscreen, onTogglePin, moderation } = view;
  const participants = element.participants;
  const hostControls = moderation.hostView && renderedHostControls(view);
  const placed = arrangeStage(participants, stage);
  // Through the SFU each tile receives the video its size needs, and none while unseen.
  view.room.showTiles(placed);
  return html`<section
    part="stage"
    class="stage"
    aria-label=${strings.participants(participants.length)}
  >
    ${repeat(
      placed,
      (placed) => placed.tile.id,
      (placed) =>
        renderTile(placed, strings, {
          onTogglePin,
          onFullscreen: (id) => fullscreen.showTile(id),
          reactionOf: (id) => moderation.reactions.get(id),
          hostMenu: hostControls
            ? (participant, name) =>
                moderation.hostView!.renderHostMenu(participant, name, hostControls)
            : null,
        }),
    )}
    ${participants.length === 1 ? html`<p class="hint">${strings.alone}</p>` : nothing}
  </section>`;
}

// Only for a host whose controls have loaded (see ModerationController).
function renderedHostControls(view: JoinedRoomView): HostControlsView | null {
  const { room, copyLink, strings } = view;
  const state = room.moderation;
  if (!state?.isHost) return null;
  return {
    locale: strings.chat.locale,
    locked: state.locked,
    knocking: state.knocking,
    hostLink: view.hostLink,
    isHostLinkCopied: view.hostLink !== null && copyLink.copiedUrl === view.hostLink,
    onCopyHostLink: (link) => void copyLink.copy(link),
    act: actOf(view),
  };
}

function renderNotices(view: JoinedRoomView): TemplateResult {
  const { strings, room, playback, moderation } = view;
  const hostControls = moderation.hostView && renderedHostControls(view);
  return html`<div class="notices">
    ${hostControls ? moderation.hostView!.renderHostPanel(hostControls) : nothing}
    ${
      moderation.mutedBy !== null
        ? html`<p part="notice" class="notice" role="status">
            <span>${strings.mutedBy?.(moderation.mutedBy)}</span>
            <button
              part="button"
              class="dismiss"
              aria-label=${strings.dismiss}
              title=${strings.dismiss}
              @click=${() => moderation.dismissMuted()}
            >
              ×
            </button>
          </p>`
        : nothing
    }
    ${room.notices.map(
      (notice) =>
        html`<p part="notice" class="notice" role="alert">
          <span>${strings.errors[notice.code]}</span>
          <button
            part="button"
            class="dismiss"
            aria-label=${strings.dismiss}
            title=${strings.dismiss}
            @click=${() => room.dismissNotice(notice.code)}
          >
            ×
          </button>
        </p>`,
    )}
    ${
      room.isSignallingLost
        ? html`<p part="notice" class="notice" role="status">${strings.reconnecting}</p>`
        : nothing
    }
    ${
      playback.needsSoundUnlock
        ? html`<button part="button" class="notice" @click=${() => playback.unlockSound()}>
            ${strings.enableSound}
          </button>`
        : nothing
    }
  </div>`;
}

function handleChatText(element: RoomActions, event: CustomEvent<ChatSendTextDetail>): void {
  // A refusal is reported as rtc-error and shown, and the panel gives the draft back.
  const sending = element.sendMessage(event.detail.text);
  sending.catch(() => undefined);
  event.detail.waitUntil(sending);
}

// Kept in the page while closed, so a draft and the scroll position survive closing it.
function renderChatPane({ strings, element, room, chatPane }: JoinedRoomView): TemplateResult {
  return html`<aside
    id="chat-pane"
    class="chat-pane"
    aria-label=${strings.chat.title}
    ?hidden=${!chatPane.isOpen}
  >
    <header class="chat-header">
      <h2>${strings.chat.title}</h2>
      ${renderIconButton({
        label: strings.closeChat,
        icon: closeIcon,
        action: 'close-chat',
        className: 'close-chat',
        onClick: () => void chatPane.close(),
      })}
    </header>
    <rtc-chat-panel
      part="chat"
      class="chat"
      exportparts="messages, message, message-own, sender, time, text, link, picture, progress, picture-status, file, file-name, file-status, refusal, composer, input, button, emoji-picker, emoji, picture-dialog"
      .messages=${room.chat?.messages ?? []}
      .strings=${strings.chat}
      .maxImageBytes=${room.chat?.maxImageBytes ?? 0}
      .files=${element}
      @chat-send-text=${(event: CustomEvent<ChatSendTextDetail>) => handleChatText(element, event)}
      @chat-send-image=${(event: CustomEvent<ChatSendImageDetail>) =>
        element.sendImage(event.detail.file).catch(() => undefined)}
    ></rtc-chat-panel>
  </aside>`;
}

function renderShare({ strings, shareUrl, copyLink }: JoinedRoomView): TemplateResult {
  return html`<div part="share" class="share">
    <span class="share-label" aria-hidden="true">${strings.shareLink}</span>
    <input
      part="input"
      readonly
      aria-label=${strings.shareLink}
      .value=${shareUrl}
      @focus=${selectAll}
    />
    <button part="button" @click=${() => void copyLink.copy(shareUrl)}>
      ${copyLink.copiedUrl === shareUrl ? strings.copied : strings.copyLink}
    </button>
  </div>`;
}

function selectAll(event: FocusEvent): void {
  (event.target as HTMLInputElement).select();
}

function renderRoomControls(view: JoinedRoomView): TemplateResult {
  const { strings, element, room, playback, fullscreen, chatPane } = view;
  const local = element.participants[0];
  return renderControls({
    strings,
    hasAudio: local?.hasAudio ?? false,
    hasVideo: local?.hasVideo ?? false,
    layout: element.layout,
    hasChat: !element.noChat,
    isChatOpen: chatPane.isOpen,
    unreadMessages: room.chat?.unread ?? 0,
    // What a press does is read when pressed: the participant may have changed since this render.
    onToggleMicrophone: () => {
      const on = !element.participants[0]?.hasAudio;
      element.setMicrophoneEnabled(on).catch(() => undefined);
    },
    onToggleCamera: () => {
      const on = !element.participants[0]?.hasVideo;
      element.setCameraEnabled(on).catch(() => undefined);
    },
    onToggleChat: () => void chatPane.toggle(),
    onChooseLayout: (layout) => {
      element.layout = layout;
    },
    isFullscreen: fullscreen.isFullscreen,
    onToggleFullscreen: () => fullscreen.toggle(),
    canShareScreen: typeof navigator.mediaDevices?.getDisplayMedia === 'function',
    isSharingScreen: local?.screen != null,
    onToggleScreenShare: () => {
      if (element.participants[0]?.screen) element.stopScreenShare();
      else element.startScreenShare().catch(() => undefined);
    },
    isHandRaised: local?.handRaised ?? false,
    onToggleHand: () => {
      element.raiseHand(!element.participants[0]?.handRaised).catch(() => undefined);
    },
    onReact: (emoji) => void element.react(emoji).catch(() => undefined),
    devices: devicePickersOf({ strings, devices: room.devices, playback }),
    onLeave: () => element.leave(),
  });
}

/** The room once joined: the stage, the chat beside it, notices, the controls and the invite link. */
export function renderJoinedRoom(view: JoinedRoomView): TemplateResult {
  return html`
    <div class="body">
      ${renderStage(view)} ${view.element.noChat ? nothing : renderChatPane(view)}
      ${renderNotices(view)}
    </div>
    ${renderRoomControls(view)} ${renderShare(view)}
    <div class="visually-hidden" role="status" aria-live="polite">${view.announcement}</div>
  `;
}
