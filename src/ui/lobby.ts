import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../i18n/strings.js';

export interface LobbyView {
  strings: Strings;
  /** What the visitor typed in the room ID field. */
  roomIdDraft: string;
  isRoomIdDraftInvalid: boolean;
  onCreateRoom: () => void;
  onJoinById: (event: SubmitEvent) => void;
  onRoomIdInput: (event: InputEvent) => void;
}

/** "Create a room or join one by ID": what the element shows without a `room-id`. */
export function renderLobby(view: LobbyView): TemplateResult {
  const { strings } = view;
  return html`<div part="lobby" class="panel">
    <button part="button" class="primary" @click=${view.onCreateRoom}>${strings.createRoom}</button>
    <form class="row" @submit=${view.onJoinById}>
      <label>
        <span>${strings.roomIdLabel}</span>
        <input
          part="input"
          name="room-id"
          autocomplete="off"
          spellcheck="false"
          .value=${view.roomIdDraft}
          aria-invalid=${view.isRoomIdDraftInvalid ? 'true' : 'false'}
          aria-describedby="room-id-error"
          @input=${view.onRoomIdInput}
        />
      </label>
      <button part="button" type="submit">${strings.joinById}</button>
    </form>
    <p id="room-id-error" class="field-error" role="alert">
      ${view.isRoomIdDraftInvalid ? strings.roomIdInvalid : nothing}
    </p>
  </div>`;
}
