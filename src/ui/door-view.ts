// The door of a locked room, a chunk of its own: only a visitor who waits there, or was removed,
// loads it.
import { html, type TemplateResult } from 'lit';
import type { Strings } from '../i18n/strings.js';

const WAITING = {
  en: {
    title: 'This room is locked',
    hint: 'A host knows you are here; you join as soon as they let you in.',
  },
  'zh-CN': {
    title: '这个房间已锁定',
    hint: '主持人已知道你在这里；对方同意后你就会进入。',
  },
} satisfies Record<string, { title: string; hint: string }>;

export interface DoorView {
  strings: Strings;
  /** The name this visitor knocked with, if any. */
  name: string;
  onLeave: () => void;
}

/** Waiting at the door: what happens next, the name knocked with, and a way out. */
export function renderWaiting({ strings, name, onLeave }: DoorView): TemplateResult {
  const text = strings.chat.locale === 'zh-CN' ? WAITING['zh-CN'] : WAITING.en;
  return html`<div part="status waiting" class="status" role="status">
    <p><strong>${text.title}</strong></p>
    <p>${text.hint}</p>
    ${name ? html`<p class="waiting-name">${name}</p>` : ''}
    <button part="button" type="button" @click=${onLeave}>${strings.leave}</button>
  </div>`;
}

/** Removed by a host: said plainly, with no way back in (the server would refuse it). */
export function renderRemoved({ strings }: Pick<DoorView, 'strings'>): TemplateResult {
  return html`<div part="status removed" class="status error" role="alert">
    <p>${strings.errors.removed}</p>
  </div>`;
}
