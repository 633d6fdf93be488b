import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { captureTimers } from '../../server/captured-timers.js';

test('captured timers, and the timers they schedule, stop firing once stopped', async () => {
  let ticks = 0;
  /** @type {() => void} */
  let tickedTwice = () => undefined;
  const twice = new Promise((resolve) => (tickedTwice = () => resolve(undefined)));
  const tick = () => {
    ticks++;
    if (ticks === 2) tickedTwice();
    setTimeout(tick, 5);
  };
  const timers = captureTimers(() => setTimeout(tick, 5));
  // However loaded the machine, the second tick comes: it was scheduled by the first.
  await twice;
  timers.stop();
  const stoppedAt = ticks;
  // Node fires timers in the order they fall due: a tick still scheduled (due within 5 ms of the
  // last) would fire before this one.
  await delay(50);
  assert.equal(ticks, stoppedAt);
  assert.equal(globalThis.setTimeout.name, 'setTimeout', 'the global is restored');
});
