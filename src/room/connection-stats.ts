/** How a pair of peers reaches each other, as ICE named it. */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** The network path in use to one remote peer. */
export interface NetworkPath {
  /** `relay` when either end goes through TURN, else our end's candidate type. */
  candidateType: CandidateType | null;
  /** Round-trip time of the selected candidate pair, in milliseconds. */
  roundTripMs: number | null;
}

type Stat = Record<string, unknown>;

const CANDIDATE_TYPES: readonly CandidateType[] = ['host', 'srflx', 'prflx', 'relay'];

function candidateTypeOf(stat: Stat | undefined): CandidateType | null {
  const type = stat?.candidateType;
  return CANDIDATE_TYPES.find((known) => known === type) ?? null;
}

/**
 * Reads the selected candidate pair from a peer connection's statistics. Chromium names it
 * from the transport (`selectedCandidatePairId`); Firefox marks the pair `selected`.
 */
export function readNetworkPath(report: ReadonlyMap<string, Stat>): NetworkPath | null {
  const pair = selectedPair(report);
  if (!pair) return null;
  const local = report.get(String(pair.localCandidateId));
  const remote = report.get(String(pair.remoteCandidateId));
  const localType = candidateTypeOf(local);
  const candidateType = candidateTypeOf(remote) === 'relay' ? 'relay' : localType;
  const rtt = pair.currentRoundTripTime;
  return {
    candidateType,
    roundTripMs: typeof rtt === 'number' ? Math.round(rtt * 1000) : null,
  };
}

/**
 * The outgoing bandwidth the browser estimates for the selected pair, in bit/s
 * (`availableOutgoingBitrate`; Chromium reports it, Firefox does not), or null.
 */
export function readUplinkEstimate(report: ReadonlyMap<string, Stat>): number | null {
  const bitrate = selectedPair(report)?.availableOutgoingBitrate;
  return typeof bitrate === 'number' && bitrate > 0 ? bitrate : null;
}

function selectedPair(report: ReadonlyMap<string, Stat>): Stat | undefined {
  const stats = [...report.values()];
  let pair: Stat | undefined;
  for (const stat of stats) {
    if (stat.type === 'transport' && typeof stat.selectedCandidatePairId === 'string') {
      pair = report.get(stat.selectedCandidatePairId);
      if (pair) break;
    }
  }
  pair ??= stats.find((stat) => stat.type === 'candidate-pair' && stat.selected === true);
  pair ??= stats.find(
    (stat) =>
      stat.type === 'candidate-pair' && stat.nominated === true && stat.state === 'succeeded',
  );
  return pair;
}
