/** Connection quality at a glance, as a tile shows it. */
export type ConnectionQuality = 'good' | 'fair' | 'poor';

/** What a peer connection has received so far, summed over its incoming media. */
export interface MediaCounters {
  packetsReceived: number;
  packetsLost: number;
  /** The worst jitter of the incoming streams, in milliseconds. */
  jitterMs: number | null;
}

/** Where fair and poor begin; near what Meet and Jitsi show as a weak connection. */
const LIMITS = {
  fair: { roundTripMs: 150, lossPercent: 2, jitterMs: 30 },
  poor: { roundTripMs: 400, lossPercent: 8, jitterMs: 80 },
} as const;

/** Sums the `inbound-rtp` entries of a peer connection's statistics. */
export function readMediaCounters(
  report: ReadonlyMap<string, Record<string, unknown>>,
): MediaCounters {
  const counters: MediaCounters = { packetsReceived: 0, packetsLost: 0, jitterMs: null };
  for (const stat of report.values()) {
    if (stat.type !== 'inbound-rtp') continue;
    if (typeof stat.packetsReceived === 'number') counters.packetsReceived += stat.packetsReceived;
    // Can be negative (duplicates) by the RTP rules; it never lowers the count here.
    if (typeof stat.packetsLost === 'number') counters.packetsLost += Math.max(0, stat.packetsLost);
    if (typeof stat.jitter === 'number') {
      counters.jitterMs = Math.max(counters.jitterMs ?? 0, Math.round(stat.jitter * 1000));
    }
  }
  return counters;
}

/** Percentage of packets lost between two readings, or null when nothing was expected. */
export function lossPercentBetween(
  before: MediaCounters | null,
  after: MediaCounters,
): number | null {
  const received = after.packetsReceived - (before?.packetsReceived ?? 0);
  const lost = after.packetsLost - (before?.packetsLost ?? 0);
  const expected = received + lost;
  return expected > 0 ? (Math.max(0, lost) / expected) * 100 : null;
}

/** Good, fair or poor: the worst of round trip, loss and jitter decides; unknowns count as fine. */
export function rateConnection(measured: {
  roundTripMs: number | null;
  lossPercent: number | null;
  jitterMs: number | null;
}): ConnectionQuality {
  const exceeds = (limits: (typeof LIMITS)['fair' | 'poor']): boolean =>
    (measured.roundTripMs ?? 0) >= limits.roundTripMs ||
    (measured.lossPercent ?? 0) >= limits.lossPercent ||
    (measured.jitterMs ?? 0) >= limits.jitterMs;
  if (exceeds(LIMITS.poor)) return 'poor';
  return exceeds(LIMITS.fair) ? 'fair' : 'good';
}
