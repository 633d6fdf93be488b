// The device pickers and the prejoin's media as the element's controllers have them.
import type { TemplateResult } from 'lit';
import type { DeviceController } from '../controllers/device-controller.js';
import { canPickSpeaker, type PlaybackController } from '../controllers/playback-controller.js';
import type { Strings } from '../i18n/strings.js';
import { canReplaceBackground, canSuppressNoise } from '../media/local-media.js';
import type { DevicePickersView } from './device-pickers.js';
import { renderPrejoinMedia } from './prejoin-media.js';

export interface DeviceViewSources {
  strings: Strings;
  devices: DeviceController;
  playback: PlaybackController;
}

/** The camera, microphone and speaker pickers, with what is in use. */
export function devicePickersOf({
  strings,
  devices,
  playback,
}: DeviceViewSources): DevicePickersView {
  return {
    strings,
    devices: devices.devices,
    selected: { ...devices.deviceIds, speaker: playback.speakerId },
    canPickSpeaker: canPickSpeaker(),
    onChooseDevice: (kind, deviceId) => void devices.chooseDevice(kind, deviceId),
    onChooseSpeaker: (deviceId) => playback.chooseSpeaker(deviceId),
    noiseSuppression: devices.noiseSuppression,
    canSuppressNoise: canSuppressNoise(),
    onChooseNoiseSuppression: (mode) => devices.setNoiseSuppression(mode),
    background: devices.background,
    canReplaceBackground: canReplaceBackground(),
    onChooseBackground: (choice) => void devices.setBackground(choice),
  };
}

/** The prejoin's preview, pickers and toggles; `muted` and `videoOff` are the host's. */
export function renderPrejoinDevices(
  sources: DeviceViewSources,
  { muted, videoOff }: { muted: boolean; videoOff: boolean },
): TemplateResult {
  const { devices } = sources;
  return renderPrejoinMedia({
    ...devicePickersOf(sources),
    preview: devices.localPreview,
    previewError: devices.previewError,
    hasAudio: !muted && devices.microphoneTrack !== null,
    hasVideo: !videoOff && devices.localPreview !== null,
    onToggleDevice: (kind, on) => void devices.setPreviewDevice(kind, on),
    onRetryDevices: () => void devices.retryPreview(),
  });
}
