import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How often the meter moves; smooth enough to read, cheap enough to forget. */
const FRAME_MS = 100;

/**
 * Drives a microphone level meter with Web Audio: it writes the level straight into the meter
 * element (`--level` and `aria-valuenow`) instead of re-rendering the host ten times a second.
 */
export class MicLevelController implements ReactiveController {
  private context: AudioContext | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private track: MediaStreamTrack | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The microphone to measure now, or null. */
    private readonly microphone: () => MediaStreamTrack | null,
    /** The meter element, found in the host's shadow root. */
    private readonly selector: string,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const track = this.microphone();
    if (track === this.track) return;
    this.release();
    this.track = track;
    if (!track) return;
    this.context ??= new AudioContext();
    if (this.context.state === 'suspended') void this.context.resume().catch(() => undefined);
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 512;
    this.source.connect(this.analyser);
    this.timer = setInterval(() => this.draw(), FRAME_MS);
  }

  hostDisconnected(): void {
    this.release();
    this.track = null;
    void this.context?.close().catch(() => undefined);
    this.context = null;
  }

  private draw(): void {
    const meter = this.host.shadowRoot?.querySelector<HTMLElement>(this.selector);
    if (!meter || !this.analyser) return;
    const samples = new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const value of samples) sum += value * value;
    // Speech sits around 0.02 to 0.2 RMS: the square root spreads it over the bar.
    const level = Math.min(1, Math.sqrt(Math.sqrt(sum / samples.length) * 5));
    meter.style.setProperty('--level', level.toFixed(2));
    meter.setAttribute('aria-valuenow', String(Math.round(level * 100)));
  }

  private release(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.source?.disconnect();
    this.source = null;
    this.analyser = null;
  }
}
