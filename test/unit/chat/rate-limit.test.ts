import { expect } from '@open-wc/testing';
import { TokenBucket } from '../../../src/chat/rate-limit.js';

function takeMany(bucket: TokenBucket, count: number): number {
  let taken = 0;
  for (let i = 0; i < count; i++) if (bucket.take()) taken++;
  return taken;
}

describe('TokenBucket', () => {
  it('lets a burst through at once and no more', () => {
    const bucket = new TokenBucket(10, 20, () => 0);
    expect(takeMany(bucket, 50)).to.equal(20);
  });

  it('refills at its rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 20, () => now);
    takeMany(bucket, 20);
    now += 500;
    expect(takeMany(bucket, 50)).to.equal(5);
    now += 100;
    expect(takeMany(bucket, 50)).to.equal(1);
  });

  it('never holds more than its burst, however long it waited', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 20, () => now);
    now += 3_600_000;
    expect(takeMany(bucket, 100)).to.equal(20);
  });

  it('allows a steady rate at its limit for a long time', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 20, () => now);
    let taken = 0;
    for (let i = 0; i < 600; i++) {
      now += 100;
      if (bucket.take()) taken++;
    }
    expect(taken).to.equal(600);
  });

  it('does not refill when the clock goes backwards', () => {
    let now = 1000;
    const bucket = new TokenBucket(10, 2, () => now);
    takeMany(bucket, 2);
    now = 0;
    expect(bucket.take()).to.equal(false);
  });
});
