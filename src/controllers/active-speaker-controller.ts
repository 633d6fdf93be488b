import type { ReactiveControllerHost } from 'lit';
import { SpeakerDetector } from '../media/speaker-detector.js';
import type { Participant } from '../room/participant.js';

/** How often levels are read: fast enough to follow a conversation, cheap enough for a mesh. */
const SAMPLE_INTERVAL_MS = 150;

interface Meter {
  stream: MediaStream;
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
}

export interface ActiveSpeakerOptions {
  /** The remote participants whose voices count (the visitor never features themselves). */
  participants: () => readonly Participant[];
  /** Called when the active speaker changes (null: nobody yet, or they left). */
  onChange: (speaker: Participant | null) => void;
}

/**
 * Measures each remote participant's voice with Web Audio while the room is joined and keeps
 * the active speaker (through a SpeakerDetector, with hysteresis) for the view. The host starts
 * and stops it with the room, not with its place in the DOM.
 */
export class ActiveSpeakerController {
  /** The active speaker's participant ID, or null. */
  speakerId: string | null = null;
  private context: AudioContext | null = null;
  private readonly meters = new Map<string, Meter>();
  private detector = new SpeakerDetector();
  private timer: ReturnType<typeof setInterval> | undefined;
  private samples: Float32Array<ArrayBuffer> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ActiveSpeakerOptions,
  ) {}

  /** Starts measuring (on join). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
  }

  /** Stops measuring and forgets the speaker (on leave). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const id of [...this.meters.keys()]) this.disconnect(id);
    void this.context?.close().catch(() => undefined);
    this.context = null;
    this.detector = new SpeakerDetector();
    this.speakerId = null;
  }

  private sample(): void {
    const participants = this.options.participants().filter((p) => !p.isLocal && p.stream);
    const levels = new Map<string, number>();
    for (const participant of participants) {
      const meter = this.meterFor(participant);
      levels.set(participant.id, meter && participant.hasAudio ? this.levelOf(meter) : 0);
    }
    for (const id of this.meters.keys()) if (!levels.has(id)) this.disconnect(id);
    const speakerId = this.detector.update(performance.now(), levels);
    if (speakerId === this.speakerId) return;
    this.speakerId = speakerId;
    this.options.onChange(participants.find((p) => p.id === speakerId) ?? null);
    this.host.requestUpdate();
  }

  private meterFor(participant: Participant): Meter | null {
    const stream = participant.stream!;
    const existing = this.meters.get(participant.id);
    if (existing?.stream === stream) return existing;
    if (existing) this.disconnect(participant.id);
    if (stream.getAudioTracks().length === 0) return null;
    this.context ??= new AudioContext();
    // Created without a click when a visitor joins on their own; it plays once the page may.
    if (this.context.state === 'suspended') void this.context.resume().catch(() => undefined);
    const source = this.context.createMediaStreamSource(stream);
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const meter = { stream, source, analyser };
    this.meters.set(participant.id, meter);
    return meter;
  }

  private levelOf({ analyser }: Meter): number {
    if (this.samples?.length !== analyser.fftSize)
      this.samples = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const value of this.samples) sum += value * value;
    return Math.sqrt(sum / this.samples.length);
  }

  private disconnect(id: string): void {
    this.meters.get(id)?.source.disconnect();
    this.meters.delete(id);
  }
}
