import type { Background, NoiseSuppression } from '../config.js';
import { RoomError, toRoomError } from '../errors.js';
import { Emitter } from '../util/emitter.js';
import { toMediaError } from './media-errors.js';
import type { BackgroundEffect } from './background/background-effect.js';
import type { NoiseSuppressor } from './noise/noise-suppressor.js';
import { PlaceholderTracks } from './placeholder-tracks.js';

export type MediaKind = 'audio' | 'video';

export interface LocalMediaEvents {
  /** Enabled state, preview or devices changed: re-render. */
  change: void;
  /** What we send of one kind changed: every link must replace its sender's track. */
  track: { kind: MediaKind; track: MediaStreamTrack };
  /** The shared screen started (its stream) or stopped (null), also by the browser's own button. */
  screen: MediaStream | null;
  /** Something asked for earlier failed on its own (the background effect). */
  failed: RoomError;
}

/** The part of `navigator.mediaDevices` we use, so tests can pass their own. */
export type MediaDevicesLike = Pick<MediaDevices, 'getUserMedia'> &
  Partial<Pick<MediaDevices, 'enumerateDevices' | 'getDisplayMedia'>>;

/** A camera, microphone or speaker the visitor can pick. */
export interface DeviceChoice {
  deviceId: string;
  /** Empty until the page may use a device of that kind (browsers hide names before). */
  label: string;
}

/** What the visitor can pick from, by kind. */
export interface DeviceList {
  cameras: DeviceChoice[];
  microphones: DeviceChoice[];
  speakers: DeviceChoice[];
}

const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 30 },
};

/** The browser's own processing for each noise suppression (`strong` denoises by itself). */
export function microphoneConstraintsFor(mode: NoiseSuppression): MediaTrackConstraints {
  const isOn = mode !== 'off';
  return { echoCancellation: isOn, noiseSuppression: mode === 'browser', autoGainControl: isOn };
}

/** Whether `strong` noise suppression can run here: RNNoise needs AudioWorklet and WebAssembly. */
export const canSuppressNoise = (): boolean =>
  typeof AudioWorkletNode === 'function' && typeof WebAssembly === 'object';

/**
 * Whether a background can be blurred or replaced here: the breakout box (Chromium's
 * MediaStreamTrackProcessor) and a worker's OffscreenCanvas.
 */
export const canReplaceBackground = (): boolean =>
  typeof (globalThis as { MediaStreamTrackProcessor?: unknown }).MediaStreamTrackProcessor ===
    'function' && typeof OffscreenCanvas === 'function';

/**
 * This visitor's camera and microphone. Devices are opened only when switched on, and the
 * camera is released when switched off (its light goes out); the microphone is muted in place
 * so unmuting is instant. `outgoing` always holds one audio and one video track.
 */
export class LocalMedia extends Emitter<LocalMediaEvents> {
  private readonly sending = new MediaStream();
  private microphone: MediaStreamTrack | null = null;
  private camera: MediaStreamTrack | null = null;
  private cameraPreview: MediaStream | null = null;
  private screenStream: MediaStream | null = null;
  private readonly placeholders = new PlaceholderTracks();
  /** The start under way, if any. */
  private starting: {
    want: { audio: boolean; video: boolean };
    done: Promise<RoomError[]>;
  } | null = null;
  /** Bumped by stop(): devices that finish opening afterwards are released at once. */
  private generation = 0;
  /** The devices the visitor picked (null: the browser's default). */
  private cameraId: string | null = null;
  private microphoneId: string | null = null;
  /** The devices of the open tracks, read once per track: every render shows them. */
  private cameraInUse: string | null = null;
  private microphoneInUse: string | null = null;
  private noiseMode: NoiseSuppression = 'browser';
  /** RNNoise between the microphone and what is sent, while in `strong` mode. */
  private denoiser: Promise<NoiseSuppressor> | null = null;
  /** False where RNNoise cannot run, or could not load once. */
  private canDenoise = canSuppressNoise();
  private backgroundMode: Background = 'none';
  /** Where MediaPipe's files are (undefined: rtc-room-server's). */
  private effectAssets?: string;
  /** The camera through the background worker, while a background is on. */
  private cameraEffect?: Promise<BackgroundEffect>;
  /** Whether the background effect segments less to keep up with the camera. */
  isBackgroundReduced = false;

  constructor(private readonly devices: MediaDevicesLike | undefined = navigator.mediaDevices) {
    super();
  }

  /**
   * The stream every call sends: real tracks where enabled, stand-ins elsewhere. A stand-in is
   * made only for a device that is off or missing: it keeps an AudioContext or a canvas running.
   */
  get outgoing(): MediaStream {
    for (const kind of ['audio', 'video'] as const) {
      if (!this.sending.getTracks().some((track) => track.kind === kind)) {
        this.sending.addTrack(this.placeholders[kind]);
      }
    }
    return this.sending;
  }

  get isMicrophoneEnabled(): boolean {
    return this.microphone?.readyState === 'live' && this.microphone.enabled;
  }

  get isCameraEnabled(): boolean {
    return this.camera?.readyState === 'live';
  }

  /** The camera alone, for the local tile; null while the camera is off. */
  get preview(): MediaStream | null {
    return this.cameraPreview;
  }

  /** The live microphone, for a level meter; null while none is open. */
  get microphoneTrack(): MediaStreamTrack | null {
    return this.microphone?.readyState === 'live' ? this.microphone : null;
  }

  /** The IDs of the devices in use (or picked), by kind. */
  get deviceIds(): { camera: string | null; microphone: string | null } {
    return {
      camera: this.cameraInUse ?? this.cameraId,
      microphone: this.microphoneInUse ?? this.microphoneId,
    };
  }

  /** The cameras, microphones and speakers the browser lists (names once a device is allowed). */
  async listDevices(): Promise<DeviceList> {
    const devices = (await this.devices?.enumerateDevices?.().catch(() => [])) ?? [];
    const of = (kind: MediaDeviceKind): DeviceChoice[] =>
      devices
        .filter((device) => device.kind === kind && device.deviceId)
        .map(({ deviceId, label }) => ({ deviceId, label }));
    return {
      cameras: of('videoinput'),
      microphones: of('audioinput'),
      speakers: of('audiooutput'),
    };
  }

  /**
   * Uses another camera or microphone: reopened at once if on (every call then sends the new
   * track), or remembered for when it is switched on. Rejects with a RoomError.
   */
  async useDevice(kind: MediaKind, deviceId: string): Promise<void> {
    if (kind === 'video') {
      this.cameraId = deviceId;
      if (this.isCameraEnabled) {
        const stream = await this.getUserMedia({ video: this.cameraConstraints() }, 'camera');
        this.useCamera(stream.getVideoTracks()[0] ?? null);
      }
      return;
    }
    this.microphoneId = deviceId;
    await this.reopenMicrophone();
  }

  /** The noise suppression in effect. */
  get noiseSuppression(): NoiseSuppression {
    return this.noiseMode;
  }

  /**
   * Switches noise suppression, opening an open microphone again with its constraints; `strong`
   * is `browser` where it cannot run. Rejects with a RoomError.
   */
  async setNoiseSuppression(mode: NoiseSuppression): Promise<void> {
    if (mode === 'strong' && !this.canDenoise) mode = 'browser';
    if (mode === this.noiseMode) return;
    this.noiseMode = mode;
    this.closeSuppressor();
    await this.reopenMicrophone();
  }

  /** The background in effect. */
  get background(): Background {
    return this.backgroundMode;
  }

  /**
   * Blurs or replaces the background of what the camera sends (`none` where it cannot run), in
   * the preview first; MediaPipe's files are at `assets` (default: rtc-room-server's). Rejects
   * with a RoomError.
   */
  async setBackground(mode: Background, assets?: string): Promise<void> {
    if (!canReplaceBackground()) mode = 'none';
    this.effectAssets = assets;
    if (mode === this.backgroundMode) return;
    this.backgroundMode = mode;
    if (mode === 'none') this.closeEffect();
    if (this.isCameraEnabled) await this.showCamera(this.camera!);
  }

  private closeEffect(): void {
    this.cameraEffect?.then(
      (open) => open.close(),
      () => undefined,
    );
    this.cameraEffect = undefined;
    this.isBackgroundReduced = false;
  }

  // With a background on, nothing of the camera goes out until the worker segments: the
  // visitor asked to hide what is behind them.
  private async showCamera(camera: MediaStreamTrack): Promise<void> {
    const mode = this.backgroundMode;
    let track = camera;
    if (mode !== 'none') {
      if (!this.cameraEffect) {
        this.cameraPreview = null;
        this.send('video', this.placeholders.video);
        this.cameraEffect = import('./background/background-effect.js').then(
          (chunk) => new chunk.BackgroundEffect(this, this.effectAssets),
        );
      }
      try {
        track = await (await this.cameraEffect).apply(camera, mode);
      } catch (error) {
        throw this.backgroundFailed(error);
      }
      if (this.camera !== camera || this.backgroundMode !== mode) return;
    }
    if (this.cameraPreview?.getVideoTracks()[0] !== track) {
      this.cameraPreview = new MediaStream([track]);
    }
    this.send('video', track);
  }

  /** The background effect segments less to keep up: the device menu says so. */
  backgroundReduced(): void {
    this.isBackgroundReduced = true;
    this.emit('change', undefined);
  }

  /**
   * The background effect failed: it goes off, and the camera with it, which would otherwise
   * show what the visitor meant to hide. Reported here when it failed `late`, on its own.
   */
  backgroundFailed(error: unknown, late = false): RoomError {
    const failure = toRoomError(error, 'background-failed');
    if (this.backgroundMode !== 'none') {
      this.backgroundMode = 'none';
      this.closeEffect();
      this.useCamera(null);
      if (late) this.emit('failed', failure);
    }
    return failure;
  }

  private async reopenMicrophone(): Promise<void> {
    if (this.microphone?.readyState !== 'live') return;
    const wasEnabled = this.microphone.enabled;
    const stream = await this.getUserMedia({ audio: this.microphoneConstraints() }, 'microphone');
    const track = stream.getAudioTracks()[0] ?? null;
    if (track) track.enabled = wasEnabled;
    this.useMicrophone(track);
  }

  // The microphone goes out as it is until RNNoise has loaded, then through it. Where it cannot
  // load (its files unreachable), the browser's own suppression takes over.
  private async suppress(microphone: MediaStreamTrack): Promise<void> {
    this.denoiser ??= import('./noise/noise-suppressor.js').then((chunk) =>
      chunk.NoiseSuppressor.create(),
    );
    try {
      const denoised = (await this.denoiser).process(microphone);
      if (this.microphone === microphone && this.noiseMode === 'strong')
        this.send('audio', denoised);
    } catch {
      this.denoiser = null;
      this.canDenoise = false;
      this.noiseMode = 'browser';
      await this.reopenMicrophone().catch(() => undefined);
    }
  }

  private closeSuppressor(): void {
    void this.denoiser?.then(
      (open) => open.close(),
      () => undefined,
    );
    this.denoiser = null;
  }

  /**
   * Opens the devices asked for. What cannot be opened is returned as errors (the visitor then
   * joins with what works); it never throws. The same start while one is opening gets that
   * one's answer (joining while the preview still opens the devices neither opens them nor asks
   * the visitor twice); another waits for it.
   */
  start(want: { audio: boolean; video: boolean }): Promise<RoomError[]> {
    const under = this.starting;
    if (under && under.want.audio === want.audio && under.want.video === want.video) {
      return under.done;
    }
    const done = (under?.done.catch(() => []) ?? Promise.resolve()).then(() => this.open(want));
    const starting = { want, done };
    this.starting = starting;
    const settle = (): void => {
      if (this.starting === starting) this.starting = null;
    };
    done.then(settle, settle);
    return done;
  }

  private async open(want: { audio: boolean; video: boolean }): Promise<RoomError[]> {
    // Devices opened for a preview before joining are kept as they are, not opened again.
    if (this.microphone?.readyState === 'live') {
      this.microphone.enabled = want.audio;
      want = { ...want, audio: false };
    }
    if (this.isCameraEnabled) {
      if (!want.video) this.useCamera(null);
      want = { ...want, video: false };
    }
    if (!want.audio && !want.video) {
      this.emit('change', undefined);
      return [];
    }
    const generation = this.generation;
    if (want.audio && want.video) {
      try {
        const stream = await this.getUserMedia(
          { audio: this.microphoneConstraints(), video: this.cameraConstraints() },
          'camera and microphone',
        );
        this.useMicrophone(stream.getAudioTracks()[0] ?? null);
        this.useCamera(stream.getVideoTracks()[0] ?? null);
        return [];
      } catch {
        // Try each device alone: one refused or missing device must not cost the other.
        if (generation !== this.generation) return [];
      }
    }
    const errors: RoomError[] = [];
    if (want.audio) await this.setMicrophoneEnabled(true).catch((e) => errors.push(toRoomError(e)));
    if (generation !== this.generation) return [];
    if (want.video) await this.setCameraEnabled(true).catch((e) => errors.push(toRoomError(e)));
    return generation === this.generation ? errors : [];
  }

  /** Unmutes (opening the microphone if needed) or mutes. Rejects with a RoomError. */
  async setMicrophoneEnabled(on: boolean): Promise<void> {
    if (!on) {
      if (this.microphone) this.microphone.enabled = false;
      this.emit('change', undefined);
      return;
    }
    if (this.microphone?.readyState === 'live') {
      this.microphone.enabled = true;
      this.emit('change', undefined);
      return;
    }
    const stream = await this.getUserMedia({ audio: this.microphoneConstraints() }, 'microphone');
    this.useMicrophone(stream.getAudioTracks()[0] ?? null);
  }

  /** Opens or releases the camera. Rejects with a RoomError. */
  async setCameraEnabled(on: boolean): Promise<void> {
    if (!on) {
      this.useCamera(null);
      return;
    }
    if (this.isCameraEnabled) return;
    const stream = await this.getUserMedia({ video: this.cameraConstraints() }, 'camera');
    this.useCamera(stream.getVideoTracks()[0] ?? null);
  }

  /** The shared screen, or null. */
  get screen(): MediaStream | null {
    return this.screenStream;
  }

  /** Asks the visitor which screen or window to share. Rejects with a RoomError. */
  async startScreenShare(): Promise<MediaStream> {
    if (this.screenStream) return this.screenStream;
    if (!this.devices?.getDisplayMedia) {
      throw new RoomError('screen-share-unsupported', 'This browser cannot share a screen here');
    }
    let stream: MediaStream;
    try {
      stream = await this.devices.getDisplayMedia({
        video: { frameRate: { max: 15 } },
        audio: false,
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      throw new RoomError(
        name === 'NotAllowedError' || name === 'AbortError'
          ? 'screen-share-denied'
          : 'screen-share-unsupported',
        'The screen was not shared',
        { cause: error },
      );
    }
    this.screenStream = stream;
    // The browser's own "Stop sharing" ends the track.
    stream.getVideoTracks()[0]?.addEventListener('ended', () => {
      if (this.screenStream === stream) this.stopScreenShare();
    });
    this.emit('screen', stream);
    this.emit('change', undefined);
    return stream;
  }

  /** Stops sharing the screen. */
  stopScreenShare(): void {
    const stream = this.screenStream;
    if (!stream) return;
    this.screenStream = null;
    for (const track of stream.getTracks()) track.stop();
    this.emit('screen', null);
    this.emit('change', undefined);
  }

  /** Releases every device. */
  stop(): void {
    this.stopScreenShare();
    this.generation++;
    this.closeSuppressor();
    this.closeEffect();
    this.microphone?.stop();
    this.camera?.stop();
    this.microphone = null;
    this.camera = null;
    this.microphoneInUse = null;
    this.cameraInUse = null;
    this.cameraPreview = null;
    this.placeholders.stop();
    this.emit('change', undefined);
  }

  private cameraConstraints(): MediaTrackConstraints {
    return this.cameraId
      ? { ...CAMERA_CONSTRAINTS, deviceId: { exact: this.cameraId } }
      : CAMERA_CONSTRAINTS;
  }

  private microphoneConstraints(): MediaTrackConstraints {
    const constraints = microphoneConstraintsFor(this.noiseMode);
    return this.microphoneId
      ? { ...constraints, deviceId: { exact: this.microphoneId } }
      : constraints;
  }

  private async getUserMedia(
    constraints: MediaStreamConstraints,
    device: 'camera' | 'microphone' | 'camera and microphone',
  ): Promise<MediaStream> {
    if (!this.devices?.getUserMedia) {
      throw new RoomError(
        'unsupported-browser',
        'This page cannot use a camera or microphone (it needs HTTPS and a current browser)',
      );
    }
    const generation = this.generation;
    let stream: MediaStream;
    try {
      stream = await this.devices.getUserMedia(constraints);
    } catch (error) {
      throw toMediaError(error, device);
    }
    if (generation !== this.generation) {
      for (const track of stream.getTracks()) track.stop();
      throw new RoomError('media-failed', 'The devices were released while they were opening');
    }
    return stream;
  }

  private useMicrophone(track: MediaStreamTrack | null): void {
    if (this.microphone !== track) this.microphone?.stop();
    this.microphone = track;
    this.microphoneInUse = track?.getSettings().deviceId ?? null;
    track?.addEventListener('ended', () => {
      if (this.microphone === track) this.useMicrophone(null);
    });
    this.send('audio', track ?? this.placeholders.audio);
    if (track && this.noiseMode === 'strong') void this.suppress(track);
  }

  private useCamera(track: MediaStreamTrack | null): void {
    if (this.camera !== track) this.camera?.stop();
    this.camera = track;
    this.cameraInUse = track?.getSettings().deviceId ?? null;
    track?.addEventListener('ended', () => {
      if (this.camera === track) this.useCamera(null);
    });
    if (track) {
      this.showCamera(track).catch((error: RoomError) => this.emit('failed', error));
    } else {
      this.cameraPreview = null;
      this.send('video', this.placeholders.video);
    }
  }

  private send(kind: MediaKind, track: MediaStreamTrack): void {
    for (const old of this.sending.getTracks()) {
      if (old.kind === kind && old !== track) this.sending.removeTrack(old);
    }
    if (!this.sending.getTracks().includes(track)) this.sending.addTrack(track);
    // A device took the stand-in's place: nothing keeps it running.
    if (!this.placeholders.isStandIn(track)) this.placeholders.release(kind);
    this.emit('track', { kind, track });
    this.emit('change', undefined);
  }
}
