import { expect } from '@open-wc/testing';
import { JitteredBackOff } from '../../../src/room/reconnect-policy.js';

describe('JitteredBackOff', () => {
  const cases: Array<[string, number, [number, number]]> = [
    ['the first retry', 0, [125, 250]],
    ['the second', 1, [250, 500]],
    ['the fourth', 3, [1000, 2000]],
    ['the fifth', 4, [2000, 4000]],
    ['the sixth', 5, [2500, 5000]],
    ['the hundredth', 99, [2500, 5000]],
  ];
  for (const [name, attempt, [low, high]] of cases) {
    it(`waits between ${low} and ${high} ms before ${name}`, () => {
      expect(new JitteredBackOff({ random: () => 0 }).nextDelayMs(attempt)).to.equal(low);
      expect(new JitteredBackOff({ random: () => 0.999999 }).nextDelayMs(attempt)).to.equal(high);
    });
  }

  it('never waits more than 5 s, whatever the jitter', () => {
    const policy = new JitteredBackOff();
    for (let attempt = 0; attempt < 200; attempt++) {
      expect(policy.nextDelayMs(attempt)).to.be.within(125, 5_000);
    }
  });

  it('spreads the retries of a room apart', () => {
    const delays = new Set(Array.from({ length: 20 }, () => new JitteredBackOff().nextDelayMs(6)));
    expect(delays.size).to.be.above(10);
  });
});
