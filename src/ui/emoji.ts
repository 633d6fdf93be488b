import { html, type ReactiveControllerHost, type TemplateResult } from 'lit';

// The chat's emoji picker: its emoji, how focus moves in it, its state and its template.

/** One emoji of the chat's picker, with its name in each language the element speaks. */
export interface Emoji {
  readonly char: string;
  readonly names: { readonly en: string; readonly 'zh-CN': string };
}

/** Emoji per row of the picker (arrow up and down move by this much). */
export const EMOJI_COLUMNS = 8;

/** An emoji's name in `locale`, English when the language is not one the table has. */
export function emojiName(emoji: Emoji, locale: string): string {
  return locale.toLowerCase().startsWith('zh') ? emoji.names['zh-CN'] : emoji.names.en;
}

/**
 * Where focus goes in the picker from `index` on `key` (arrows move in the grid, Home and End go
 * to the first and last), or null for a key the picker does not move on.
 */
export function emojiIndexAfter(index: number, key: string, count: number): number | null {
  const columns = EMOJI_COLUMNS;
  switch (key) {
    case 'ArrowRight':
      return Math.min(count - 1, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      return index + columns < count ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** The element whose shadow root holds the picker and its toggle (`.emoji-toggle`). */
export type EmojiPickerHost = ReactiveControllerHost & { readonly renderRoot: ParentNode };

/**
 * The chat's emoji picker: open or closed, which emoji has the focus (arrows, Home and End move
 * it), and the list, loaded on first use. A picked emoji goes to `onPick`.
 */
export class EmojiPicker {
  isOpen = false;
  /** The emoji that has the focus, by index. */
  active = 0;
  emoji: readonly Emoji[] = [];

  constructor(
    private readonly host: EmojiPickerHost,
    private readonly onPick: (emoji: string) => void,
  ) {}

  async toggle(): Promise<void> {
    if (this.isOpen) {
      this.close();
      return;
    }
    if (!this.emoji.length) this.emoji = (await import('./emoji-list.js')).EMOJI;
    this.show(true);
    await this.host.updateComplete;
    this.focusActive();
  }

  /** Closes the picker and gives the focus back to its toggle. */
  close(): void {
    this.show(false);
    this.host.renderRoot.querySelector<HTMLElement>('.emoji-toggle')?.focus();
  }

  /** Opens or closes the picker, the focus staying where it is. */
  show(isOpen: boolean): void {
    this.isOpen = isOpen;
    this.host.requestUpdate();
  }

  readonly handleKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.close();
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.onPick(this.emoji[this.active].char);
      return;
    }
    const next = emojiIndexAfter(this.active, event.key, this.emoji.length);
    if (next === null) return;
    event.preventDefault();
    this.active = next;
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => this.focusActive());
  };

  readonly handleClick = (event: MouseEvent): void => {
    const option = (event.target as Element).closest<HTMLElement>('[role="option"]');
    if (!option) return;
    this.active = Number(option.dataset.index);
    this.onPick(option.dataset.emoji ?? '');
  };

  readonly handleFocusOut = (event: FocusEvent): void => {
    const next = event.relatedTarget as Node | null;
    const toggle = this.host.renderRoot.querySelector('.emoji-toggle');
    const picker = event.currentTarget as HTMLElement;
    // Tabbing or clicking away closes the picker; the toggle button handles its own click.
    if (next && !picker.contains(next) && next !== toggle) this.show(false);
  };

  private focusActive(): void {
    this.host.renderRoot.querySelector<HTMLElement>(`[data-index="${this.active}"]`)?.focus();
  }
}

/** The open picker: a grid of emoji named in `locale`, one of them focusable. */
export function renderEmojiPicker(
  picker: EmojiPicker,
  label: string,
  locale: string,
): TemplateResult {
  return html`<div
    id="emoji-picker"
    part="emoji-picker"
    class="emoji-picker"
    role="listbox"
    aria-label=${label}
    style="--columns: ${EMOJI_COLUMNS}"
    @keydown=${picker.handleKeydown}
    @click=${picker.handleClick}
    @focusout=${picker.handleFocusOut}
  >
    ${picker.emoji.map(
      (emoji, index) =>
        html`<span
          part="emoji"
          role="option"
          aria-label=${emojiName(emoji, locale)}
          title=${emojiName(emoji, locale)}
          aria-selected=${index === picker.active ? 'true' : 'false'}
          tabindex=${index === picker.active ? '0' : '-1'}
          data-index=${index}
          data-emoji=${emoji.char}
          >${emoji.char}</span
        >`,
    )}
  </div>`;
}
