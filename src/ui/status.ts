import { html, type TemplateResult } from 'lit';
import type { RoomErrorCode } from '../errors.js';
import type { Strings } from '../i18n/strings.js';

export interface StatusView {
  strings: Strings;
  state: 'joining' | 'left' | 'error';
  /** Why the join failed, in the `error` state. */
  error: RoomErrorCode;
  /** Joins again, from `left` or `error`. */
  onRejoin: () => void;
}

/** The panel shown while joining, after leaving and when a join failed: the last two offer a way back. */
export function renderStatus({ strings, state, error, onRejoin }: StatusView): TemplateResult {
  switch (state) {
    case 'joining':
      return html`<div part="status" class="status" role="status">${strings.connecting}</div>`;
    case 'left':
      return html`<div part="status" class="status" role="status">
        <p>${strings.leftTitle}</p>
        <button part="button" class="primary" @click=${onRejoin}>${strings.rejoin}</button>
      </div>`;
    case 'error':
      return html`<div part="status" class="status error" role="alert">
        <p>${strings.errors[error]}</p>
        <button part="button" class="primary" @click=${onRejoin}>${strings.retry}</button>
      </div>`;
  }
}
