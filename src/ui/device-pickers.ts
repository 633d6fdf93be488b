import { html, nothing, type TemplateResult } from 'lit';
import type { Background, NoiseSuppression } from '../config.js';
import type { Strings } from '../i18n/strings.js';
import type { DeviceChoice, DeviceList, MediaKind } from '../media/local-media.js';

export interface DevicePickersView {
  strings: Strings;
  devices: DeviceList;
  /** The devices in use, by kind. */
  selected: { camera: string | null; microphone: string | null; speaker: string };
  /** Whether sound can be sent to another speaker here (`setSinkId`). */
  canPickSpeaker: boolean;
  onChooseDevice: (kind: MediaKind, deviceId: string) => void;
  onChooseSpeaker: (deviceId: string) => void;
  /** The noise suppression in effect, and whether `strong` can run here. */
  noiseSuppression: NoiseSuppression;
  canSuppressNoise: boolean;
  onChooseNoiseSuppression: (mode: NoiseSuppression) => void;
  /** The background in effect, whether it can be done here, and whether it segments less. */
  background: { mode: Background; isReduced: boolean };
  canReplaceBackground: boolean;
  /** `none`, `blur`, or '' for a picture the visitor picks from a file. */
  onChooseBackground: (choice: Background) => void;
}

function renderSelect(
  label: string,
  name: string,
  choices: DeviceChoice[],
  selected: string | null,
  fallbackName: (index: number) => string,
  onChange: (deviceId: string) => void,
): TemplateResult | typeof nothing {
  if (choices.length === 0) return nothing;
  return html`<label>
    <span>${label}</span>
    <select
      part="select"
      name=${name}
      @change=${(event: Event) => onChange((event.target as HTMLSelectElement).value)}
    >
      ${choices.map(
        (choice, index) =>
          html`<option value=${choice.deviceId} ?selected=${choice.deviceId === selected}>
            ${choice.label || fallbackName(index + 1)}
          </option>`,
      )}
    </select>
  </label>`;
}

// The picture choice opens a file picker (the choice is the visitor's gesture); the choice
// shown is the one in effect until the picture is in.
function renderBackground(view: DevicePickersView): TemplateResult {
  const { strings, background } = view;
  const current = background.mode === 'none' || background.mode === 'blur' ? background.mode : '';
  const note = !view.canReplaceBackground
    ? strings.backgroundUnsupported
    : background.isReduced && strings.backgroundReduced;
  return html`<label>
    <span>${strings.background}</span>
    <select
      part="select background-select"
      name="background"
      ?disabled=${!view.canReplaceBackground}
      .value=${current}
      @change=${(event: Event) => {
        const select = event.target as HTMLSelectElement;
        view.onChooseBackground(select.value);
        select.value = current;
      }}
    >
      ${['none', 'blur', ''].map(
        (value, index) =>
          html`<option value=${value} ?selected=${value === current}>
            ${strings.backgrounds[index]}
          </option>`,
      )}
    </select>
    ${note ? html`<small>${note}</small>` : nothing}
  </label>`;
}

/**
 * Pickers for camera, microphone, background and (where the browser allows) speaker, and the
 * strong noise suppression toggle; what cannot run here is disabled, with the reason.
 */
export function renderDevicePickers(view: DevicePickersView): TemplateResult {
  const { strings, devices, selected } = view;
  return html`<div class="device-pickers">
    ${renderSelect(
      strings.camera,
      'camera',
      devices.cameras,
      selected.camera,
      strings.cameraNumber,
      (id) => view.onChooseDevice('video', id),
    )}
    ${renderSelect(
      strings.microphone,
      'microphone',
      devices.microphones,
      selected.microphone,
      strings.microphoneNumber,
      (id) => view.onChooseDevice('audio', id),
    )}
    <label class="toggle">
      <input
        type="checkbox"
        part="noise-toggle"
        ?checked=${view.noiseSuppression === 'strong'}
        ?disabled=${!view.canSuppressNoise}
        @change=${(event: Event) =>
          view.onChooseNoiseSuppression(
            (event.target as HTMLInputElement).checked ? 'strong' : 'browser',
          )}
      />
      <span>${strings.strongNoiseSuppression}</span>
      ${view.canSuppressNoise ? nothing : html`<small>${strings.noiseSuppressionUnsupported}</small>`}
    </label>
    ${renderBackground(view)}
    ${
      view.canPickSpeaker
        ? renderSelect(
            strings.speaker,
            'speaker',
            devices.speakers,
            selected.speaker,
            strings.speakerNumber,
            view.onChooseSpeaker,
          )
        : nothing
    }
  </div>`;
}
