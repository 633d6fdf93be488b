/** How eagerly the active speaker changes. */
export interface SpeakerPolicy {
  /** Below this smoothed level (0 to 1) nobody counts as speaking. */
  threshold: number;
  /** Time constant of the smoothing: speech comes in syllables, a voice is heard over them. */
  smoothingMs: number;
  /** How long someone must stay the loudest before they take over, so a cough does not. */
  switchAfterMs: number;
}

export const DEFAULT_SPEAKER_POLICY: SpeakerPolicy = {
  threshold: 0.01,
  smoothingMs: 500,
  switchAfterMs: 400,
};

/**
 * Picks the active speaker from audio levels sampled over time, with hysteresis: levels are
 * smoothed, the loudest voice takes over only after staying loudest for `switchAfterMs`, and a
 * silence keeps the last speaker rather than emptying the slot. Plain logic over numbers; the
 * clock is the caller's.
 */
export class SpeakerDetector {
  private current: string | null = null;
  private candidate: { id: string; since: number } | null = null;
  private readonly smoothed = new Map<string, number>();
  private lastUpdate: number | null = null;

  constructor(private readonly policy: SpeakerPolicy = DEFAULT_SPEAKER_POLICY) {}

  /** The active speaker, or null before anyone spoke. */
  get speaker(): string | null {
    return this.current;
  }

  /** Feeds the levels measured at `now` (ms); returns the active speaker. */
  update(now: number, levels: ReadonlyMap<string, number>): string | null {
    const elapsed = this.lastUpdate === null ? Infinity : now - this.lastUpdate;
    this.lastUpdate = now;
    const weight = 1 - Math.exp(-elapsed / this.policy.smoothingMs);
    for (const id of this.smoothed.keys()) if (!levels.has(id)) this.smoothed.delete(id);
    if (this.current !== null && !levels.has(this.current)) this.current = null;

    let loudest: string | null = null;
    let loudestLevel = this.policy.threshold;
    for (const [id, level] of levels) {
      const previous = this.smoothed.get(id) ?? 0;
      const smoothed = previous + weight * (level - previous);
      this.smoothed.set(id, smoothed);
      if (smoothed >= loudestLevel) {
        loudest = id;
        loudestLevel = smoothed;
      }
    }
    if (loudest === null || loudest === this.current) {
      this.candidate = null;
      return this.current;
    }
    if (this.candidate?.id !== loudest) this.candidate = { id: loudest, since: now };
    if (this.current === null || now - this.candidate.since >= this.policy.switchAfterMs) {
      this.current = loudest;
      this.candidate = null;
    }
    return this.current;
  }
}
