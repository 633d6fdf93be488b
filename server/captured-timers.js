/**
 * Runs `start` with `setTimeout` recorded, and so the timers its callbacks schedule in turn, so
 * that all of them can be cancelled later.
 *
 * Why: PeerServer starts two self-rescheduling timers when it is mounted (message expiry, dead
 * connection check) and keeps them where nothing outside can reach, so a closed server would keep
 * its process alive forever. The global is swapped only while PeerServer's own code runs.
 * @param {() => void} start
 * @returns {{ stop(): void }}
 */
export function captureTimers(start) {
  /** @type {Set<NodeJS.Timeout>} */
  const pending = new Set();
  let isStopped = false;
  const nativeSetTimeout = globalThis.setTimeout;

  /**
   * @param {(...args: unknown[]) => void} callback
   * @param {number} [delay]
   * @param {unknown[]} args
   */
  const recordingSetTimeout = (callback, delay, ...args) => {
    const timer = nativeSetTimeout(() => {
      pending.delete(timer);
      if (!isStopped) recording(() => callback(...args));
    }, delay);
    pending.add(timer);
    return timer;
  };

  /** @param {() => void} run */
  const recording = (run) => {
    const outer = globalThis.setTimeout;
    globalThis.setTimeout = /** @type {typeof setTimeout} */ (
      /** @type {unknown} */ (recordingSetTimeout)
    );
    try {
      run();
    } finally {
      globalThis.setTimeout = outer;
    }
  };

  recording(start);
  return {
    stop() {
      isStopped = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
