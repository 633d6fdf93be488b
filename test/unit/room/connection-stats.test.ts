import { expect } from '@open-wc/testing';
import { readNetworkPath } from '../../../src/room/connection-stats.js';

type Stat = Record<string, unknown>;

const report = (...stats: Stat[]) => new Map(stats.map((stat) => [String(stat.id), stat]));

const candidates = (local: string, remote: string): Stat[] => [
  { id: 'L', type: 'local-candidate', candidateType: local },
  { id: 'R', type: 'remote-candidate', candidateType: remote },
];

describe('readNetworkPath', () => {
  it('follows Chromium’s transport to the selected pair', () => {
    const path = readNetworkPath(
      report(
        { id: 'T', type: 'transport', selectedCandidatePairId: 'P2' },
        { id: 'P1', type: 'candidate-pair', localCandidateId: 'X', remoteCandidateId: 'X' },
        {
          id: 'P2',
          type: 'candidate-pair',
          localCandidateId: 'L',
          remoteCandidateId: 'R',
          currentRoundTripTime: 0.0234,
        },
        ...candidates('srflx', 'host'),
      ),
    );
    expect(path).to.deep.equal({ candidateType: 'srflx', roundTripMs: 23 });
  });

  it('takes the pair Firefox marks selected', () => {
    const path = readNetworkPath(
      report(
        {
          id: 'P',
          type: 'candidate-pair',
          selected: true,
          localCandidateId: 'L',
          remoteCandidateId: 'R',
        },
        ...candidates('host', 'host'),
      ),
    );
    expect(path).to.deep.equal({ candidateType: 'host', roundTripMs: null });
  });

  it('calls a path relayed when only the remote end uses TURN', () => {
    const path = readNetworkPath(
      report(
        {
          id: 'P',
          type: 'candidate-pair',
          nominated: true,
          state: 'succeeded',
          localCandidateId: 'L',
          remoteCandidateId: 'R',
        },
        ...candidates('host', 'relay'),
      ),
    );
    expect(path?.candidateType).to.equal('relay');
  });

  it('knows nothing before a pair is selected, and ignores unknown candidate types', () => {
    expect(
      readNetworkPath(report({ id: 'P', type: 'candidate-pair', state: 'in-progress' })),
    ).to.equal(null);
    const path = readNetworkPath(
      report(
        {
          id: 'P',
          type: 'candidate-pair',
          selected: true,
          localCandidateId: 'L',
          remoteCandidateId: 'R',
        },
        ...candidates('bogus', 'host'),
      ),
    );
    expect(path?.candidateType).to.equal(null);
  });
});
