/** How eagerly the active speaker changes. */
export interface SpeakerPolicy {
  /** Below this level (RMS, 0 to 1) nobody counts as speaking. */
  threshold: number;
  /** How long someone must stay the loudest before they take over, so a cough does not. */
  switchAfterMs: number;
}

export const DEFAULT_SPEAKER_POLICY: SpeakerPolicy = { threshold: 0.02, switchAfterMs: 400 };

/**
 * Picks the active speaker from audio levels sampled over time, with hysteresis: the loudest
 * voice takes over only after staying loudest for `switchAfterMs`, and a silence keeps the last
 * speaker rather than emptying the slot. Plain logic over numbers; the clock is the caller's.
 */
export class SpeakerDetector {
  private current: string | null = null;
  private candidate: { id: string; since: number } | null = null;

  constructor(private readonly policy: SpeakerPolicy = DEFAULT_SPEAKER_POLICY) {}

  /** The active speaker, or null before anyone spoke. */
  get speaker(): string | null {
    return this.current;
  }

  /** Feeds the levels measured at `now` (ms); returns the active speaker. */
  update(now: number, levels: ReadonlyMap<string, number>): string | null {
    if (this.current !== null && !levels.has(this.current)) this.current = null;
    let loudest: string | null = null;
    let loudestLevel = this.policy.threshold;
    for (const [id, level] of levels) {
      if (level >= loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
    }
    if (loudest === null || loudest === this.current) {
      this.candidate = null;
      return this.current;
    }
    if (this.candidate?.id !== loudest) this.candidate = { id: loudest, since: now };
    if (now - this.candidate.since >= this.policy.switchAfterMs || this.current === null) {
      this.current = loudest;
      this.candidate = null;
    }
    return this.current;
  }
}
