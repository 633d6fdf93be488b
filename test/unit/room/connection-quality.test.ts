import { expect } from '@open-wc/testing';
import {
  lossPercentBetween,
  rateConnection,
  readMediaCounters,
} from '../../../src/room/connection-quality.js';

describe('rateConnection', () => {
  const table: Array<
    [
      string,
      { roundTripMs: number | null; lossPercent: number | null; jitterMs: number | null },
      string,
    ]
  > = [
    ['a fast clean path', { roundTripMs: 20, lossPercent: 0, jitterMs: 3 }, 'good'],
    ['nothing measured yet', { roundTripMs: null, lossPercent: null, jitterMs: null }, 'good'],
    ['a slow round trip', { roundTripMs: 200, lossPercent: 0, jitterMs: 3 }, 'fair'],
    ['some loss', { roundTripMs: 20, lossPercent: 3, jitterMs: 3 }, 'fair'],
    ['jitter', { roundTripMs: 20, lossPercent: 0, jitterMs: 40 }, 'fair'],
    ['a very slow round trip', { roundTripMs: 450, lossPercent: 0, jitterMs: 3 }, 'poor'],
    ['heavy loss on a fast path', { roundTripMs: 20, lossPercent: 12, jitterMs: 3 }, 'poor'],
    ['heavy jitter', { roundTripMs: 20, lossPercent: 0, jitterMs: 120 }, 'poor'],
  ];
  for (const [what, measured, quality] of table) {
    it(`rates ${what} ${quality}`, () => {
      expect(rateConnection(measured)).to.equal(quality);
    });
  }
});

describe('readMediaCounters and lossPercentBetween', () => {
  const report = (video: [number, number, number], audio: [number, number, number]) =>
    new Map<string, Record<string, unknown>>([
      [
        'v',
        {
          type: 'inbound-rtp',
          kind: 'video',
          packetsReceived: video[0],
          packetsLost: video[1],
          jitter: video[2],
        },
      ],
      [
        'a',
        {
          type: 'inbound-rtp',
          kind: 'audio',
          packetsReceived: audio[0],
          packetsLost: audio[1],
          jitter: audio[2],
        },
      ],
      ['o', { type: 'outbound-rtp', packetsSent: 999 }],
    ]);

  it('sums incoming packets and keeps the worst jitter', () => {
    expect(readMediaCounters(report([900, 10, 0.012], [100, 0, 0.03]))).to.deep.equal({
      packetsReceived: 1000,
      packetsLost: 10,
      jitterMs: 30,
    });
  });

  it('measures loss between two readings, not since the start', () => {
    const before = readMediaCounters(report([900, 100, 0], [100, 0, 0]));
    const after = readMediaCounters(report([1890, 110, 0], [100, 0, 0]));
    expect(lossPercentBetween(before, after)).to.equal(1);
  });

  it('has no loss figure while nothing arrives', () => {
    const counters = readMediaCounters(report([5, 0, 0], [5, 0, 0]));
    expect(lossPercentBetween(counters, counters)).to.equal(null);
  });
});
