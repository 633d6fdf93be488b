import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { captureTimers } from '../../server/captured-timers.js';

test('captured timers, and the timers they schedule, stop firing once stopped', async () => {
  let ticks = 0;
  const tick = () => {
    ticks++;
    setTimeout(tick, 5);
  };
  const timers = captureTimers(() => setTimeout(tick, 5));
  await delay(40);
  assert.ok(ticks >= 2, `ticked ${ticks} times`);
  timers.stop();
  const stoppedAt = ticks;
  await delay(40);
  assert.equal(ticks, stoppedAt);
  assert.equal(globalThis.setTimeout.name, 'setTimeout', 'the global is restored');
});
