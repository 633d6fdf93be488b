import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenBucket } from '../../src/limits/token-bucket.js';

/** A bucket on a clock the test moves by hand. */
function bucketAt(perSecond = 10, burst = 3, overdraft = burst) {
  const clock = { now: 0 };
  return { clock, bucket: new TokenBucket({ perSecond, burst, overdraft, now: () => clock.now }) };
}

/** @param {TokenBucket} bucket @param {number} times */
const takeMany = (bucket, times) => Array.from({ length: times }, () => bucket.take());

describe('TokenBucket', () => {
  test('grants a full burst at once, then denies', () => {
    const { bucket } = bucketAt();
    assert.deepEqual(takeMany(bucket, 4), ['granted', 'granted', 'granted', 'denied']);
  });

  test('reports overdrawn once the holder keeps going for another burst past the limit', () => {
    const { bucket } = bucketAt();
    assert.deepEqual(takeMany(bucket, 7), [
      'granted',
      'granted',
      'granted',
      'denied',
      'denied',
      'denied',
      'overdrawn',
    ]);
  });

  test('regains tokens over time, never more than the burst', () => {
    const { bucket, clock } = bucketAt();
    takeMany(bucket, 3);
    clock.now += 100;
    assert.equal(bucket.take(), 'granted');
    assert.equal(bucket.take(), 'denied');
    clock.now += 60_000;
    assert.deepEqual(takeMany(bucket, 4), ['granted', 'granted', 'granted', 'denied']);
  });

  test('a holder that slows down after being denied recovers', () => {
    const { bucket, clock } = bucketAt();
    takeMany(bucket, 5);
    clock.now += 500;
    assert.equal(bucket.take(), 'granted');
  });

  test('without an overdraft, a refused take costs nothing and never reports overdrawn', () => {
    const { bucket, clock } = bucketAt(10, 3, 0);
    assert.deepEqual(takeMany(bucket, 10), [
      ...Array(3).fill('granted'),
      ...Array(7).fill('denied'),
    ]);
    clock.now += 100;
    assert.equal(bucket.take(), 'granted');
  });

  test('regains nothing when the clock steps back', () => {
    const { bucket, clock } = bucketAt(10, 2, 0);
    clock.now = 1000;
    takeMany(bucket, 2);
    clock.now = 0;
    assert.equal(bucket.take(), 'denied');
  });
});
