import { LitElement, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from '../decorators.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatFile, ChatMessage, ChatPicture } from '../chat/chat-room.js';
import { splitLinks } from '../chat/links.js';
import { en, loadErrorStrings, type Strings } from '../i18n/strings.js';
import { PictureIntakeController } from '../controllers/picture-intake-controller.js';
import { IMAGE_TYPES, MAX_IMAGE_BYTES, MAX_TEXT_LENGTH } from '../protocol/chat-messages.js';
import { chatPanelStringsFor } from './chat-panel.strings.js';
import { styles } from './chat-panel.styles.js';
import { EmojiPicker, renderEmojiPicker } from './emoji.js';
import { glyph } from './icons.js';

/** The chat's sentences the room gives the panel, its locale among them. */
export type ChatStrings = Strings['chat'];

export interface ChatSendTextDetail {
  text: string;
  /** Hands the panel the send's promise: a refused send gives the text back to the field. */
  waitUntil: (sending: Promise<unknown>) => void;
}

export interface ChatSendImageDetail {
  /** A picture whose size and first bytes were checked. */
  file: File;
}

/** What the panel does with files: the room element's own methods (see `RtcRoom`). */
export interface ChatFileActions {
  /** Largest file offered or downloaded, in bytes; 0: the protocol's 256 MiB. */
  readonly maxFileSize: number;
  sendFile(file: Blob): Promise<unknown>;
  downloadFile(messageId: string): Promise<unknown>;
  cancelFile(messageId: string): Promise<unknown>;
}

export interface ChatPanelEventMap {
  'chat-send-text': CustomEvent<ChatSendTextDetail>;
  'chat-send-image': CustomEvent<ChatSendImageDetail>;
}

// Within this many pixels of the end, the list counts as scrolled to the bottom.
const BOTTOM_SLACK_PX = 24;

const sendIcon = glyph(svg`<path d="M2 21l21-9L2 3v7l15 2-15 2z"/>`, 20);
const attachIcon = glyph(
  svg`<path d="M21 19V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2zM8.5 13.5l2.5 3 3.5-4.5 4.5 6H5l3.5-4.5z"/>`,
  20,
);
const emojiIcon = glyph(
  svg`<path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm3.5-9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm-7 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm3.5 6.5a5.5 5.5 0 0 0 5.11-3.5H6.89A5.5 5.5 0 0 0 12 17.5z"/>`,
  20,
);

/**
 * @summary The room's chat: the conversation, a text field, an emoji picker and a button for
 * pictures and files. A view only: it shows `messages` and asks for sending through events (and
 * for files, through `files`); the room does the rest.
 *
 * @fires {CustomEvent<ChatSendTextDetail>} chat-send-text - The visitor sent text (`text`).
 * @fires {CustomEvent<ChatSendImageDetail>} chat-send-image - The visitor chose, pasted or dropped
 *   a picture that passed the size and type checks (`file`).
 *
 * @csspart messages - The scrolling list of messages.
 * @csspart message - One message.
 * @csspart message-own - One of the visitor's own messages (also has part `message`).
 * @csspart sender - A message's author.
 * @csspart time - A message's time.
 * @csspart text - A text message's body.
 * @csspart link - A link in a message.
 * @csspart picture - A picture's thumbnail (a button that opens it full size).
 * @csspart progress - A picture's sending or receiving progress.
 * @csspart picture-status - Why a picture is not shown.
 * @csspart refusal - Why a chosen picture was refused.
 * @csspart composer - The row with the text field and buttons.
 * @csspart input - The text field.
 * @csspart button - Every button.
 * @csspart emoji-picker - The emoji picker.
 * @csspart emoji - One emoji in the picker.
 * @csspart picture-dialog - The full-size picture.
 * @csspart file - A file offered in the chat: its name, size, type and what can be done with it.
 * @csspart file-name - A file's name.
 * @csspart file-status - Where a file is (offered by the visitor, unavailable, failed).
 *
 * @cssproperty --rtc-room-chat-own-background - Behind the visitor's own messages.
 * @cssproperty --rtc-room-chat-thumbnail-size - Largest side of a picture's thumbnail.
 */
@customElement('rtc-chat-panel')
export class RtcChatPanel extends LitElement {
  static override styles = styles;

  @query('.log') private log!: HTMLElement;
  @query('textarea') private input!: HTMLTextAreaElement;
  @query('input[type="file"]') private fileInput!: HTMLInputElement;
  @query('dialog') private dialog!: HTMLDialogElement;

  private readonly emojiPicker = new EmojiPicker(this, (emoji) => this.insertEmoji(emoji));
  private readonly pictures = new PictureIntakeController(this, {
    maxBytes: () => this.maxImageBytes,
    isDisabled: () => this.disabled,
    send: (file) => this.emitEvent('chat-send-image', { file }),
    strings: () => this.strings,
    sendFile: (file) => this.sendFile(file),
    takesFiles: () => this.files !== null,
    maxFileSize: () => this.files?.maxFileSize ?? 0,
    fileTooLarge: (maxBytes) => chatPanelStringsFor(this.strings.locale).fileTooLarge(maxBytes),
  });

  @state() private draft = '';
  @state() private openPicture: { url: string; alt: string } | null = null;

  /** The conversation, in order (from the room's chat model). */
  @property({ attribute: false }) messages: readonly ChatMessage[] = [];

  /** The chat's sentences in the page's language. */
  @property({ attribute: false }) strings: ChatStrings = en.chat;

  /** Largest picture accepted, in bytes; larger ones are refused before sending. */
  @property({ attribute: 'max-image-bytes', type: Number }) maxImageBytes = MAX_IMAGE_BYTES;

  /** Sends, downloads and stops files; without it, only pictures are taken. */
  @property({ attribute: false }) files: ChatFileActions | null = null;

  /** Whether sending is off (e.g. before joining). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  private isPinnedToBottom = true;

  protected override updated(changed: PropertyValues): void {
    if (changed.has('messages') && this.isPinnedToBottom) this.scrollToBottom();
    if (changed.has('openPicture')) {
      if (this.openPicture && !this.dialog.open) this.dialog.showModal();
      if (!this.openPicture && this.dialog.open) this.dialog.close();
    }
  }

  private scrollToBottom(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  private handleScroll(): void {
    const { scrollTop, scrollHeight, clientHeight } = this.log;
    this.isPinnedToBottom = scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK_PX;
  }

  private handleImageLoad(): void {
    if (this.isPinnedToBottom) this.scrollToBottom();
  }

  private handleInput(event: InputEvent): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.pictures.clearRefusal();
  }

  private handleKeydown(event: KeyboardEvent): void {
    // keyCode 229: some browsers report an IME's Enter this way instead of isComposing.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) {
      return;
    }
    event.preventDefault();
    this.sendDraft();
  }

  private handleSubmit(event: SubmitEvent): void {
    event.preventDefault();
    this.sendDraft();
  }

  private sendDraft(): void {
    const text = this.draft.trim();
    if (!text || this.disabled) return;
    let sending: Promise<unknown> = Promise.resolve();
    this.emitEvent('chat-send-text', { text, waitUntil: (promise) => (sending = promise) });
    this.draft = '';
    sending.catch(() => {
      // Refused (too fast, too long): the text comes back unless the visitor typed anew.
      if (!this.draft) this.draft = text;
    });
  }

  private handleAttach(): void {
    this.fileInput.click();
  }

  private sendFile(file: File): void {
    this.files?.sendFile(file).catch(async (error: unknown) => {
      await loadErrorStrings();
      const code = (error as { code?: string } | null)?.code;
      const errors: Partial<Record<string, string>> = this.strings.errors;
      this.pictures.refuse(
        code === 'file-too-large'
          ? chatPanelStringsFor(this.strings.locale).fileTooLarge(this.pictures.maxFileBytes)
          : ((code && errors[code]) ?? String(error)),
      );
    });
  }

  private handleDownload(message: ChatMessage): void {
    // The outcome shows in the message's `file.state`.
    this.files?.downloadFile(message.id).catch(() => undefined);
  }

  private handleCancel(message: ChatMessage): void {
    this.files?.cancelFile(message.id).catch(() => undefined);
  }

  private insertEmoji(emoji: string): void {
    const input = this.input;
    input.setRangeText(emoji, input.selectionStart, input.selectionEnd, 'end');
    this.draft = input.value;
    this.emojiPicker.show(false);
    input.focus();
  }

  private handlePictureOpen(picture: ChatPicture, alt: string): void {
    if (picture.url) this.openPicture = { url: picture.url, alt };
  }

  private handleDialogClose(): void {
    this.openPicture = null;
  }

  private handleDialogCloseClick(): void {
    this.dialog.close();
  }

  private emitEvent<K extends keyof ChatPanelEventMap>(
    type: K,
    detail: ChatPanelEventMap[K]['detail'],
  ): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  override render(): TemplateResult {
    const strings = this.strings;
    const text = chatPanelStringsFor(strings.locale);
    return html`
      <div
        class="panel"
        @dragover=${this.pictures.handleDragOver}
        @drop=${this.pictures.handleDrop}
      >
        <div
          part="messages"
          class="log"
          role="log"
          aria-live="polite"
          aria-label=${text.log}
          tabindex="0"
          @scroll=${this.handleScroll}
        >
          ${
            this.messages.length === 0
              ? html`<p class="empty">${text.empty}</p>`
              : repeat(
                  this.messages,
                  (message) => message.id,
                  (message) => this.renderMessage(message),
                )
          }
        </div>
        <p part="refusal" class="refusal" role="alert">${this.pictures.refusal}</p>
        ${
          this.emojiPicker.isOpen
            ? renderEmojiPicker(this.emojiPicker, text.emojiPicker, strings.locale)
            : nothing
        }
        <form part="composer" class="composer" @submit=${this.handleSubmit}>
          <label class="visually-hidden" for="chat-input">${text.inputLabel}</label>
          <textarea
            id="chat-input"
            part="input"
            rows="2"
            maxlength=${MAX_TEXT_LENGTH}
            placeholder=${text.placeholder}
            .value=${live(this.draft)}
            ?disabled=${this.disabled}
            @input=${this.handleInput}
            @keydown=${this.handleKeydown}
            @paste=${this.pictures.handlePaste}
          ></textarea>
          <button
            part="button"
            class="emoji-toggle"
            type="button"
            aria-label=${text.emoji}
            title=${text.emoji}
            aria-haspopup="listbox"
            aria-expanded=${this.emojiPicker.isOpen ? 'true' : 'false'}
            aria-controls="emoji-picker"
            ?disabled=${this.disabled}
            @click=${() => void this.emojiPicker.toggle()}
          >
            ${emojiIcon}
          </button>
          <button
            part="button"
            class="attach"
            type="button"
            aria-label=${text.attach}
            title=${text.attach}
            ?disabled=${this.disabled}
            @click=${this.handleAttach}
          >
            ${attachIcon}
          </button>
          <input
            type="file"
            accept=${this.files ? nothing : IMAGE_TYPES.join(',')}
            multiple
            hidden
            tabindex="-1"
            @change=${this.pictures.handleFileChosen}
          />
          <button
            part="button"
            class="send"
            type="submit"
            aria-label=${text.send}
            title=${text.send}
            ?disabled=${this.disabled}
          >
            ${sendIcon}
          </button>
        </form>
        <dialog
          part="picture-dialog"
          aria-label=${this.openPicture?.alt ?? text.closePicture}
          @close=${this.handleDialogClose}
        >
          ${
            this.openPicture
              ? html`<img src=${this.openPicture.url} alt=${this.openPicture.alt} />`
              : nothing
          }
          <button part="button" type="button" @click=${this.handleDialogCloseClick}>
            ${text.closePicture}
          </button>
        </dialog>
      </div>
    `;
  }

  private renderMessage(message: ChatMessage): TemplateResult {
    const text = chatPanelStringsFor(this.strings.locale);
    const name = message.senderName || text.guest;
    const author = message.isOwn ? `${name} (${text.you})` : name;
    return html`
      <div
        part=${message.isOwn ? 'message message-own' : 'message'}
        class=${message.isOwn ? 'message own' : 'message'}
        data-id=${message.id}
      >
        <div class="meta">
          <span part="sender" class="sender">${author}</span>
          <time part="time" datetime=${new Date(message.sentAt).toISOString()}>
            ${text.time(message.sentAt)}
          </time>
          ${message.isHistory ? html`<span class="earlier">${text.earlier}</span>` : nothing}
        </div>
        ${
          message.file
            ? this.renderFile(message, message.file)
            : message.picture
              ? this.renderPicture(message.picture, name, message.isOwn)
              : html`<p part="text" class="text">${renderText(message.text ?? '')}</p>`
        }
      </div>
    `;
  }

  private renderPicture(picture: ChatPicture, name: string, isOwn: boolean): TemplateResult {
    const text = chatPanelStringsFor(this.strings.locale);
    if (picture.failed) {
      return html`<p part="picture-status" class="picture-status">
        ${text.pictureFailed[picture.failed]}
      </p>`;
    }
    const percent = Math.floor(picture.progress * 100);
    // Only object URLs this page made are shown; nothing a peer wrote ends up in a src.
    const url = picture.url?.startsWith('blob:') ? picture.url : null;
    const alt = text.pictureAlt(name);
    return html`
      ${
        url
          ? html`<button
              part="picture"
              class="thumb"
              type="button"
              aria-label=${text.openPicture(name)}
              @click=${() => this.handlePictureOpen(picture, alt)}
            >
              <img src=${url} alt=${alt} @load=${this.handleImageLoad} />
            </button>`
          : html`<div class="thumb pending" aria-hidden="true"></div>`
      }
      ${
        picture.progress < 1
          ? html`<progress
              part="progress"
              max="100"
              .value=${percent}
              aria-label=${isOwn ? text.sending(percent) : text.receiving(percent)}
            ></progress>`
          : nothing
      }
    `;
  }

  // The name is a text node and an attribute value, never HTML.
  private renderFile(message: ChatMessage, file: ChatFile): TemplateResult {
    const text = chatPanelStringsFor(this.strings.locale);
    const percent = Math.floor(file.progress * 100);
    const url = file.url?.startsWith('blob:') ? file.url : null;
    const button = (label: string, onClick: () => void, content = label) =>
      html`<button part="button" type="button" aria-label=${label} @click=${onClick}>
        ${content}
      </button>`;
    let action: TemplateResult | typeof nothing = nothing;
    if (message.isOwn) {
      action = html`<p part="file-status" class="file-status">${text.fileOffered}</p>`;
    } else if (file.state === 'done' && url) {
      action = html`<a part="button" class="save" href=${url} download=${file.name}
        >${text.save(file.name)}</a
      >`;
    } else if (file.state === 'receiving') {
      action = html`<progress
          part="progress"
          max="100"
          .value=${percent}
          aria-label=${text.receiving(percent)}
        ></progress>
        ${button(text.cancelDownload(file.name), () => this.handleCancel(message), text.cancel)}`;
    } else if (file.state === 'unavailable') {
      action = html`<p part="file-status" class="file-status">${text.fileUnavailable}</p>`;
    } else if (file.state === 'failed') {
      action = html`<p part="file-status" class="file-status">
          ${text.fileFailed[file.failure ?? 'refused']}
        </p>
        ${
          file.failure === 'too-large'
            ? nothing
            : button(text.retry(file.name), () => this.handleDownload(message), text.again)
        }`;
    } else if (this.files) {
      action = button(text.download(file.name), () => this.handleDownload(message), text.get);
    }
    return html`<div part="file" class="file">
      <span part="file-name" class="file-name">${file.name}</span>
      <span class="file-meta">${text.fileSize(file.size)} · ${file.type}</span>
      <div class="file-action">${action}</div>
    </div>`;
  }
}

/** Text as Lit text nodes (never HTML), with http(s) links as anchors that open a new tab. */
function renderText(text: string): Array<TemplateResult | string> {
  return splitLinks(text).map((segment) =>
    segment.kind === 'link'
      ? html`<a part="link" href=${segment.href} rel="noopener noreferrer" target="_blank"
          >${segment.text}</a
        >`
      : segment.text,
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'rtc-chat-panel': RtcChatPanel;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends ChatPanelEventMap {}
}
