import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../i18n/strings.js';

export interface PrejoinView {
  strings: Strings;
  roomId: string;
  name: string;
  /** The preview, pickers and toggles, once the call has loaded (see prejoin-media.ts). */
  media: TemplateResult | null;
  onNameInput: (event: InputEvent) => void;
  onJoin: (event: SubmitEvent) => void;
}

/** The step before joining a known room: the visitor's name, their devices and the Join button. */
export function renderPrejoin(view: PrejoinView): TemplateResult {
  const { strings } = view;
  return html`<form part="prejoin" class="panel prejoin" @submit=${view.onJoin}>
    ${view.media ?? nothing}
    <div class="prejoin-settings">
      <p class="room-label">${strings.roomLabel} <code>${view.roomId}</code></p>
      <label>
        <span>${strings.nameLabel}</span>
        <input
          part="input"
          name="name"
          maxlength="64"
          autocomplete="nickname"
          .value=${view.name}
          @input=${view.onNameInput}
        />
      </label>
      <button part="button" class="primary" type="submit">${strings.join}</button>
    </div>
  </form>`;
}
