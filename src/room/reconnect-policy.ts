/** When to retry the signalling server after losing it (LiveKit's `ReconnectPolicy`, smaller). */
export interface ReconnectPolicy {
  /** Milliseconds to wait before retry number `attempt` (0 for the first) of one outage. */
  nextDelayMs(attempt: number): number;
}

export interface BackOffOptions {
  /** The first wait, before jitter. */
  initialMs?: number;
  /** The longest wait, jitter included. */
  maxMs?: number;
  /** A number in [0, 1); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * Exponential back-off with jitter: 250 ms, 500 ms, 1 s, 2 s, 4 s, then 5 s, each scaled by a
 * random factor in [0.5, 1]. The cap is short because the usual outage is a server restart
 * that is over in seconds; the jitter keeps a room's visitors from retrying in lockstep.
 */
export class JitteredBackOff implements ReconnectPolicy {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: BackOffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 5_000;
    this.random = options.random ?? Math.random;
  }

  nextDelayMs(attempt: number): number {
    const ceiling = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(attempt, 30));
    return Math.round(ceiling * (0.5 + this.random() / 2));
  }
}
