import { html, nothing, type TemplateResult } from 'lit';
import type { RoomError } from '../errors.js';
import type { MediaKind } from '../media/local-media.js';
import { renderToggle } from './controls.js';
import { renderDevicePickers, type DevicePickersView } from './device-pickers.js';
import { cameraIcon, cameraOffIcon, micIcon, micOffIcon } from './icons.js';
import { mediaStream } from './media-stream.js';

export interface PrejoinMediaView extends DevicePickersView {
  /** The camera as it will be sent, or null while off or refused. */
  preview: MediaStream | null;
  /** Why there is no camera or microphone, if there is not. */
  previewError: RoomError | null;
  hasAudio: boolean;
  hasVideo: boolean;
  onToggleDevice: (kind: MediaKind, on: boolean) => void;
  onRetryDevices: () => void;
}

function renderPreview(view: PrejoinMediaView): TemplateResult {
  const { strings } = view;
  return html`<div part="preview" class="preview">
    ${
      view.preview
        ? html`<video ${mediaStream(view.preview)} muted autoplay playsinline></video>`
        : html`<p class="preview-off">${view.previewError ? nothing : strings.cameraIsOff}</p>`
    }
    ${
      view.previewError
        ? html`<div class="preview-error" role="alert">
            <p>${strings.errors[view.previewError.code]}</p>
            <button part="button" type="button" @click=${view.onRetryDevices}>
              ${strings.retry}
            </button>
          </div>`
        : nothing
    }
    <div
      part="level"
      class="level"
      role="meter"
      aria-label=${strings.microphoneLevel}
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow="0"
      ?hidden=${!view.hasAudio}
    >
      <span class="level-bar"></span>
    </div>
  </div>`;
}

/**
 * What the prejoin shows once the call has loaded: a camera preview with a microphone meter (the
 * host animates it), why a device is missing with a way to retry, device pickers, and toggles to
 * join muted or without video.
 */
export function renderPrejoinMedia(view: PrejoinMediaView): TemplateResult {
  const { strings } = view;
  return html`${renderPreview(view)}
    <div class="prejoin-media">
      ${renderDevicePickers(view)}
      <div class="row">
        ${renderToggle({
          isOn: view.hasAudio,
          labels: [strings.unmuteMicrophone, strings.muteMicrophone],
          icons: [micOffIcon, micIcon],
          action: 'microphone',
          onClick: () => view.onToggleDevice('audio', !view.hasAudio),
        })}
        ${renderToggle({
          isOn: view.hasVideo,
          labels: [strings.cameraOn, strings.cameraOff],
          icons: [cameraOffIcon, cameraIcon],
          action: 'camera',
          onClick: () => view.onToggleDevice('video', !view.hasVideo),
        })}
      </div>
    </div>`;
}
