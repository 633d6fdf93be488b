import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Background, NoiseSuppression } from '../config.js';
import { toRoomError, type RoomError } from '../errors.js';
import type { RoomState } from '../events.js';
import type { DeviceList, LocalMedia, MediaKind } from '../media/local-media.js';
import { remember } from '../visitor-store.js';
import type { CallModule } from './room-controller.js';

/** What the controller reads from the element: how the visitor wants to start. */
export interface DeviceHost extends ReactiveControllerHost {
  muted: boolean;
  videoOff: boolean;
  /** Joining without the prejoin, which then shows no preview. */
  noPrejoin: boolean;
  noiseSuppression: NoiseSuppression;
  background: Background;
  /** Where MediaPipe's files are, or '' for rtc-room-server's. */
  backgroundAssets: string;
}

export interface DeviceControllerOptions {
  /** Loads the call chunk, which has LocalMedia. */
  loadCall: () => Promise<CallModule>;
  /** The element's state: the prejoin is the one place a preview is for. */
  state: () => RoomState;
  /** The media of the session under way, once it took the preview's. */
  sessionMedia: () => LocalMedia | null;
  /** Tells the visitor and the page of a device that failed during the call. */
  report: (error: RoomError) => void;
}

/**
 * The camera and microphone before and during the call: holds the preview's LocalMedia until a
 * session takes it (then the session's media is the one in use), and the devices to pick from.
 */
export class DeviceController implements ReactiveController {
  /** Camera and microphone opened before joining, until a session takes them. */
  private preview: LocalMedia | null = null;
  /** Bumped when a preview is dropped or taken, so one still opening is dropped too. */
  private previewGeneration = 0;
  private isPreviewing = false;
  /** Why the preview has no camera or microphone (refused, missing), if it has not. */
  previewError: RoomError | null = null;
  /** The cameras, microphones and speakers to pick from. */
  devices: DeviceList = { cameras: [], microphones: [], speakers: [] };

  constructor(
    private readonly host: DeviceHost,
    private readonly options: DeviceControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener('devicechange', this.handleDeviceChange);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.handleDeviceChange);
  }

  // The host's noise suppression and background, in the media at hand (no-ops when it has them).
  hostUpdate(): void {
    this.applyChoices();
  }

  // The prejoin shows the camera and microphone it will send; the lobby holds no device, and a
  // join goes on with the preview's.
  hostUpdated(): void {
    const state = this.options.state();
    const wantsPreview = state === 'prejoin' && !this.host.noPrejoin;
    if (wantsPreview && !this.isPreviewing) void this.startPreview();
    if (!wantsPreview && this.isPreviewing && state !== 'joining') this.stopPreview();
    this.isPreviewing = wantsPreview;
  }

  private get media(): LocalMedia | null {
    return this.options.sessionMedia() ?? this.preview;
  }

  /** The camera as the visitor sees it in the preview, or null. */
  get localPreview(): MediaStream | null {
    return this.media?.preview ?? null;
  }

  /** The live microphone, for a level meter, or null. */
  get microphoneTrack(): MediaStreamTrack | null {
    return this.media?.microphoneTrack ?? null;
  }

  /** The noise suppression in effect (`strong` may have fallen back to `browser`). */
  get noiseSuppression(): NoiseSuppression {
    return this.media?.noiseSuppression ?? this.host.noiseSuppression;
  }

  /** Switches noise suppression, before joining or during the call, as the host's property does. */
  setNoiseSuppression(mode: NoiseSuppression): void {
    this.host.noiseSuppression = mode;
  }

  /** The background in effect, and whether it segments less to keep up. */
  get background(): { mode: Background; isReduced: boolean } {
    const media = this.media;
    return {
      mode: media?.background ?? this.host.background,
      isReduced: !!media?.isBackgroundReduced,
    };
  }

  /**
   * Switches the background as the host's property does, and remembers it for the next visit;
   * '' asks the visitor for a picture file first (a data: URL then).
   */
  async setBackground(choice: Background): Promise<void> {
    try {
      choice ||= await (await import('../media/background/background-effect.js')).choosePicture();
      if (choice) {
        this.host.background = choice;
        remember('background', choice);
      }
    } catch (error) {
      this.options.report(toRoomError(error));
    }
  }

  /** The IDs of the camera and microphone in use. */
  get deviceIds(): { camera: string | null; microphone: string | null } {
    return this.media?.deviceIds ?? { camera: null, microphone: null };
  }

  /**
   * Opens the camera and microphone before joining, as the host's `muted` and `video-off` say,
   * so the visitor sees and hears what they will send; again after a refusal, to retry.
   */
  async startPreview(): Promise<void> {
    const generation = ++this.previewGeneration;
    let call: CallModule;
    try {
      call = await this.options.loadCall();
    } catch {
      return; // Joining reports it.
    }
    if (generation !== this.previewGeneration || this.options.state() !== 'prejoin') return;
    this.preview ??= this.watched(new call.LocalMedia());
    const errors = await this.preview.start({
      audio: !this.host.muted,
      video: !this.host.videoOff,
    });
    if (generation !== this.previewGeneration) return;
    this.previewError = errors[0] ?? null;
    await this.refreshDevices();
  }

  /** Opens the camera and microphone again after a refusal, both on. */
  retryPreview(): Promise<void> {
    this.host.muted = false;
    this.host.videoOff = false;
    return this.startPreview();
  }

  /** Releases the preview's devices (the visitor went back to the lobby, or the page left). */
  stopPreview(): void {
    this.previewGeneration++;
    this.preview?.stop();
    this.preview = null;
    this.previewError = null;
  }

  /**
   * The preview's devices, handed to a session that goes on with them; made when there is none.
   * Made only when needed: a LocalMedia opens stand-in tracks (an audio context, a canvas).
   */
  takePreview(create: () => LocalMedia): LocalMedia {
    const media = this.preview ?? this.watched(create());
    this.preview = null;
    this.previewGeneration++;
    return media;
  }

  /** Turns a device on or off in the preview; the host's `muted` / `video-off` follow. */
  async setPreviewDevice(kind: MediaKind, on: boolean): Promise<void> {
    if (kind === 'audio') this.host.muted = !on;
    else this.host.videoOff = !on;
    if (!this.preview) return;
    try {
      if (kind === 'audio') await this.preview.setMicrophoneEnabled(on);
      else await this.preview.setCameraEnabled(on);
      this.previewError = null;
    } catch (error) {
      this.previewError = toRoomError(error);
    }
    this.host.requestUpdate();
  }

  /** Uses another camera or microphone, before joining or during the call (every link follows). */
  async chooseDevice(kind: MediaKind, deviceId: string): Promise<void> {
    const media = this.media;
    if (!media) return;
    try {
      await media.useDevice(kind, deviceId);
    } catch (error) {
      this.options.report(toRoomError(error));
    }
    this.host.requestUpdate();
  }

  // Names come once a device is allowed; the lists change when one is plugged in or out.
  async refreshDevices(): Promise<void> {
    const media = this.media;
    if (!media) return;
    this.devices = await media.listDevices();
    this.host.requestUpdate();
  }

  private watched(media: LocalMedia): LocalMedia {
    media.on('change', () => this.host.requestUpdate());
    media.on('failed', this.backgroundFailed);
    this.applyChoices(media);
    return media;
  }

  // The background is off until the visitor picks one again (the camera with it).
  private backgroundFailed = (error: unknown): void => {
    this.host.background = 'none';
    this.options.report(toRoomError(error));
  };

  private applyChoices(media = this.media): void {
    const report = (error: unknown): void => this.options.report(toRoomError(error));
    media?.setNoiseSuppression(this.host.noiseSuppression).catch(report);
    media
      ?.setBackground(this.host.background, this.host.backgroundAssets || undefined)
      .catch(this.backgroundFailed);
  }

  private handleDeviceChange = (): void => void this.refreshDevices();
}
