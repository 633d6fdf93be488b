/** An opaque timer handle, as `setTimeout` returns it. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/**
 * Time and timers as the policies see them: injected so tests drive them with a fake clock
 * instead of sleeping.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** The page's own clock and timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};
