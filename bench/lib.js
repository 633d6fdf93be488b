// What every benchmark shares: summary statistics, a printed table, a JSON file in
// bench/results/ (git-ignored) with the raw samples, so runs can be compared later, what a
// process tree costs in CPU and memory, and the page script that times a join.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

/** What /proc counts CPU time in: ticks of 1/100 s (USER_HZ on Linux). */
export const TICKS_PER_SECOND = 100;

/**
 * Median, 95th and 99th percentiles, min and max of `samples` (nearest rank).
 * @param {number[]} samples
 */
export function summarize(samples) {
  const sorted = [...samples].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (sorted.length === 0) return { n: 0, median: NaN, p95: NaN, p99: NaN, min: NaN, max: NaN };
  const rank = (/** @type {number} */ p) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return {
    n: sorted.length,
    median,
    p95: rank(0.95),
    p99: rank(0.99),
    min: sorted[0],
    max: sorted.at(-1) ?? NaN,
  };
}

/** @typedef {number | string} Cell a figure, or text printed as it is */
/** @typedef {[string, number[], ...Cell[]]} Row a label, its samples, and extra cells */

const cell = (/** @type {Cell} */ value, /** @type {number} */ digits) =>
  typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(digits) : '–') : value;

/**
 * Prints rows of `[label, samples, …extra cells]` as median, p95 and min–max in `unit`, then any
 * extra columns (ratios taken in the same run).
 * @param {string} title
 * @param {string} unit
 * @param {Row[]} rows
 * @param {{ digits?: number, extra?: string[] }} [options]
 */
export function printTable(title, unit, rows, { digits = 0, extra = [] } = {}) {
  const header = ['case', `median ${unit}`, `p95 ${unit}`, `min–max ${unit}`, ...extra];
  const lines = rows.map(([label, samples, ...more]) => {
    const s = summarize(samples);
    return [
      label,
      cell(s.median, digits),
      cell(s.p95, digits),
      `${cell(s.min, digits)}–${cell(s.max, digits)}`,
      ...more.map((value) => cell(value, 2)),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const format = (/** @type {Cell[]} */ cells) =>
    `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(format(header));
  console.log(
    `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`,
  );
  for (const line of lines) console.log(format(line));
}

/**
 * Writes `data` with the machine's description to bench/results/<name>.json.
 * @param {string} name
 * @param {Record<string, unknown>} data
 */
export function writeResults(name, data) {
  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}${name}.json`;
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine, ...data }, null, 2)}\n`,
  );
  console.log(`\nraw samples: bench/results/${name}.json`);
}

/** Rounds from the environment (BENCH_ROUNDS), else `fallback`. */
export const rounds = (/** @type {number} */ fallback) =>
  Number(process.env.BENCH_ROUNDS ?? fallback);

export const sleep = (/** @type {number} */ ms) =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `promise`, or a rejection after `ms` (the pages it waits on are closed by its caller).
 * @template T
 * @param {number} ms
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
export function within(ms, promise) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The browser process and all its descendants.
 * @param {number} root
 */
export function processTree(root) {
  /** @type {Map<number, number>} */
  const parents = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (tree.has(parent) && !tree.has(pid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/**
 * CPU ticks (user + system, TICKS_PER_SECOND to a second of one core) and memory (PSS, bytes) of
 * a process and all its descendants (a browser's processes).
 * @param {number} root
 */
export function usage(root) {
  let ticks = 0;
  let rss = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      // Proportional set size: shared pages split between the processes that share them.
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      rss += Number(pss?.[1] ?? 0) * 1024;
    } catch {
      // Gone meanwhile.
    }
  }
  return { ticks, rss };
}

/**
 * Runs in the newcomer's page before its scripts: `window.labJoin` resolves with the ms from the
 * element's `joining` to the first frame presented on a remote tile.
 */
export function watchJoinToFrame() {
  window.labJoin = new Promise((resolve) => {
    let joiningAt = NaN;
    document.addEventListener('rtc-state', (event) => {
      if (event.detail.state === 'joining') joiningAt = performance.now();
    });
    const tick = () => {
      const root = document.querySelector('rtc-room')?.shadowRoot;
      const video = root?.querySelector('[part~="tile"]:not([part~="tile-local"]) video');
      if (!(video instanceof HTMLVideoElement)) setTimeout(tick, 5);
      else if (video.videoWidth > 0) resolve(performance.now() - joiningAt);
      else video.requestVideoFrameCallback(() => resolve(performance.now() - joiningAt));
    };
    tick();
  });
}
