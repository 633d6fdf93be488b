import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../chat/chat-room.js';
import type { RoomError, RoomErrorCode } from '../errors.js';
import type { Strings } from '../i18n/strings.js';
import type { Participant } from '../room/participant.js';
import type { ChatSendImageDetail, ChatSendTextDetail } from './chat-panel.js';
import { renderControls, type ControlsView } from './controls.js';
import { renderIconButton } from './icon-button.js';
import { closeIcon } from './icons.js';
import { arrangeStage, type StageOptions } from './stage.js';
import { renderTile, type TileActions } from './tile.js';

export interface NoticesView {
  notices: readonly RoomError[];
  isSignallingLost: boolean;
  needsSoundUnlock: boolean;
  onDismiss: (code: RoomErrorCode) => void;
  onUnlockSound: () => void;
}

export interface ChatPaneView {
  messages: readonly ChatMessage[];
  isOpen: boolean;
  maxImageBytes: number;
  onClose: () => void;
  onSendText: (event: CustomEvent<ChatSendTextDetail>) => void;
  onSendImage: (event: CustomEvent<ChatSendImageDetail>) => void;
}

export interface ShareView {
  url: string;
  isCopied: boolean;
  onCopy: () => void;
}

/** Everything the joined room shows. */
export interface JoinedRoomView {
  strings: Strings;
  participants: readonly Participant[];
  stage: StageOptions;
  tileActions: TileActions;
  notices: NoticesView;
  /** The chat pane, or null with `no-chat`. */
  chat: ChatPaneView | null;
  controls: ControlsView;
  share: ShareView;
  /** What the screen reader is told last (a message, someone joining). */
  announcement: string;
}

// Tiles keep their elements (keyed by ID) and only move: a video never reloads on a render.
function renderStage({
  strings,
  participants,
  stage,
  tileActions,
}: JoinedRoomView): TemplateResult {
  return html`<section
    part="stage"
    class="stage"
    aria-label=${strings.participants(participants.length)}
  >
    ${repeat(
      arrangeStage(participants, stage),
      (placed) => placed.tile.id,
      (placed) => renderTile(placed, strings, tileActions),
    )}
    ${participants.length === 1 ? html`<p class="hint">${strings.alone}</p>` : nothing}
  </section>`;
}

function renderNotices(strings: Strings, view: NoticesView): TemplateResult {
  return html`<div class="notices">
    ${view.notices.map(
      (notice) =>
        html`<p part="notice" class="notice" role="alert">
          <span>${strings.errors[notice.code]}</span>
          <button
            part="button"
            class="dismiss"
            aria-label=${strings.dismiss}
            title=${strings.dismiss}
            @click=${() => view.onDismiss(notice.code)}
          >
            ×
          </button>
        </p>`,
    )}
    ${
      view.isSignallingLost
        ? html`<p part="notice" class="notice" role="status">${strings.reconnecting}</p>`
        : nothing
    }
    ${
      view.needsSoundUnlock
        ? html`<button part="button" class="notice" @click=${view.onUnlockSound}>
            ${strings.enableSound}
          </button>`
        : nothing
    }
  </div>`;
}

// Kept in the page while closed, so a draft and the scroll position survive closing it.
function renderChatPane(strings: Strings, view: ChatPaneView): TemplateResult {
  return html`<aside
    id="chat-pane"
    class="chat-pane"
    aria-label=${strings.chat.title}
    ?hidden=${!view.isOpen}
  >
    <header class="chat-header">
      <h2>${strings.chat.title}</h2>
      ${renderIconButton({
        label: strings.closeChat,
        icon: closeIcon,
        action: 'close-chat',
        className: 'close-chat',
        onClick: view.onClose,
      })}
    </header>
    <rtc-chat-panel
      part="chat"
      class="chat"
      exportparts="messages, message, message-own, sender, time, text, link, picture, progress, picture-status, refusal, composer, input, button, emoji-picker, emoji, picture-dialog"
      .messages=${view.messages}
      .strings=${strings.chat}
      .maxImageBytes=${view.maxImageBytes}
      @chat-send-text=${view.onSendText}
      @chat-send-image=${view.onSendImage}
    ></rtc-chat-panel>
  </aside>`;
}

function renderShare(strings: Strings, { url, isCopied, onCopy }: ShareView): TemplateResult {
  return html`<div part="share" class="share">
    <span class="share-label" aria-hidden="true">${strings.shareLink}</span>
    <input
      part="input"
      readonly
      aria-label=${strings.shareLink}
      .value=${url}
      @focus=${selectAll}
    />
    <button part="button" @click=${onCopy}>${isCopied ? strings.copied : strings.copyLink}</button>
  </div>`;
}

function selectAll(event: FocusEvent): void {
  (event.target as HTMLInputElement).select();
}

/** The room once joined: the stage, the chat beside it, notices, the controls and the invite link. */
export function renderJoinedRoom(view: JoinedRoomView): TemplateResult {
  const { strings } = view;
  return html`
    <div class="body">
      ${renderStage(view)} ${view.chat ? renderChatPane(strings, view.chat) : nothing}
      ${renderNotices(strings, view.notices)}
    </div>
    ${renderControls(view.controls)} ${renderShare(strings, view.share)}
    <div class="visually-hidden" role="status" aria-live="polite">${view.announcement}</div>
  `;
}
