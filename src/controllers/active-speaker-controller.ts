import type { ReactiveControllerHost } from 'lit';
import { SpeakerDetector } from '../media/speaker-detector.js';
import type { Participant } from '../room/participant.js';

/** How often levels are read: fast enough to follow a conversation, cheap enough for a mesh. */
const SAMPLE_INTERVAL_MS = 150;

export interface ActiveSpeakerOptions {
  /** How loud each remote participant is now (0 to 1), by ID; the visitor never counts. */
  levels: () => ReadonlyMap<string, number>;
  /** The participants, to name the speaker in the event. */
  participants: () => readonly Participant[];
  /** Called when the active speaker changes (null: nobody yet, or they left). */
  onChange: (speaker: Participant | null) => void;
}

/**
 * Samples the remote participants' audio levels while the room is joined and keeps the active
 * speaker (through a SpeakerDetector, with hysteresis) for the view. The host starts and stops
 * it with the room, not with its place in the DOM.
 */
export class ActiveSpeakerController {
  /** The active speaker's participant ID, or null. */
  speakerId: string | null = null;
  private detector = new SpeakerDetector();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ActiveSpeakerOptions,
  ) {}

  /** Starts sampling (on join). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);
  }

  /** Stops sampling and forgets the speaker (on leave). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.detector = new SpeakerDetector();
    this.speakerId = null;
  }

  private sample(): void {
    const speakerId = this.detector.update(performance.now(), this.options.levels());
    if (speakerId === this.speakerId) return;
    this.speakerId = speakerId;
    const speaker = this.options.participants().find((p) => p.id === speakerId) ?? null;
    this.options.onChange(speaker);
    this.host.requestUpdate();
  }
}
