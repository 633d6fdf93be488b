import { expect } from '@open-wc/testing';
import { ENCODING_LADDER, nextRung, rungForRoomSize } from '../../../src/media/encoding-policy.js';

describe('encoding policy', () => {
  describe('rungForRoomSize', () => {
    const cases: Array<[number, number, string]> = [
      [1, 0, '640×360 at 900 kbit/s'],
      [2, 0, '640×360 at 900 kbit/s'],
      [3, 1, '640×360 at 600 kbit/s'],
      [4, 2, '427×240 at 400 kbit/s'],
      [5, 3, '320×180 at 300 kbit/s'],
      [6, 4, '320×180 at 220 kbit/s'],
      [7, 5, '213×120 at 150 kbit/s'],
      [12, 5, '213×120 at 150 kbit/s'],
    ];
    for (const [size, rung, says] of cases) {
      it(`gives a room of ${size} rung ${rung} (${says})`, () => {
        expect(rungForRoomSize(size)).to.equal(rung);
        const { maxBitrate, scaleResolutionDownBy } = ENCODING_LADDER[rung];
        const [width, height] = [640, 360].map((side) => Math.round(side / scaleResolutionDownBy));
        expect(`${width}×${height} at ${maxBitrate / 1000} kbit/s`).to.equal(says);
      });
    }
  });

  it('never asks for more than about 1.2 Mbit/s of video upload in all, whatever the size', () => {
    for (let size = 2; size <= 8; size++) {
      const total = (size - 1) * ENCODING_LADDER[rungForRoomSize(size)].maxBitrate;
      expect(total, `room of ${size}`).to.be.at.most(1_200_000);
    }
  });

  it('spends less per copy, in bits, pixels and frames, as the ladder goes down', () => {
    for (let rung = 1; rung < ENCODING_LADDER.length; rung++) {
      const [better, worse] = [ENCODING_LADDER[rung - 1], ENCODING_LADDER[rung]];
      expect(worse.maxBitrate).to.be.below(better.maxBitrate);
      expect(worse.scaleResolutionDownBy).to.be.at.least(better.scaleResolutionDownBy);
      expect(worse.maxFramerate).to.be.at.most(better.maxFramerate);
    }
  });

  describe('nextRung', () => {
    // [current rung, room size, measured uplink in bit/s, expected rung, why]
    const cases: Array<[number | null, number, number | null, number, string]> = [
      [null, 2, null, 0, 'a new link starts at its room’s rung'],
      [null, 6, 5_000_000, 4, 'a new link starts at its room’s rung whatever the uplink'],
      [3, 2, null, 0, 'with no measurement, the room’s rung'],
      [0, 2, 2_000_000, 0, 'an uplink that carries the rung keeps it'],
      [0, 2, 850_000, 0, 'a dip within a tenth keeps the rung'],
      [0, 2, 700_000, 1, 'a weaker uplink steps one rung down'],
      [1, 2, 300_000, 2, 'one rung at a time'],
      [6, 6, 10_000, 6, 'the last rung is the floor'],
      [2, 2, 400_000, 1, 'an uplink that carries the rung fully climbs one'],
      [5, 6, 1_000_000, 4, 'never above the room’s rung'],
      [1, 6, 1_000_000, 4, 'a room that grew lowers the rung at once'],
      [2, 6, null, 4, 'a room that grew, unmeasured, takes its rung'],
    ];
    for (const [current, size, uplink, expected, why] of cases) {
      it(why, () => {
        expect(nextRung(current, size, uplink)).to.equal(expected);
      });
    }
  });
});
