// A clock whose time moves only when a test says so: timers fire in order of due time (then of
// creation) as `tick` passes them. Code under test takes it as its `Clock`.
import type { Clock, TimerHandle } from '../../../src/util/clock.js';

interface Timer {
  at: number;
  callback: () => void;
}

export class FakeClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.timers.delete(handle as unknown as number);
  }

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, firing every timer that falls due on the way (and those they set). */
  tick(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [number, Timer] | null = null;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      }
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
  }
}
