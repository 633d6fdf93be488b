// What a full mesh costs each visitor, with and without the encoding policy (without: the page's
// RTCRtpSender.setParameters does nothing): browser CPU (all of Chromium's processes, per
// visitor, in % of one core) and memory (PSS of those processes above the idle browser), outbound bitrate
// per visitor and the frame rate each remote video is received at, for 2, 4 and 6 visitors of one
// headless Chromium on loopback, over an 8 s window 4 s after the mesh is up.
import { startStack, waitForRemoteVideo } from '../test/e2e/harness.js';
import { printTable, rounds, sleep, TICKS_PER_SECOND, usage, writeResults } from './lib.js';

/** @typedef {import('../test/e2e/harness.js').Page} Page */
/** @typedef {Awaited<ReturnType<typeof counters>>} Counters */
/**
 * One room measured: per visitor, CPU, memory and bitrate out, and each remote video's frame
 * rate; a room that did not form is `failed`, with no figures.
 * @typedef {{
 *   size: number,
 *   adapt: boolean,
 *   failed?: boolean,
 *   cpuPercentPerVisitor?: number,
 *   pssMiBPerVisitor?: number,
 *   kbpsOutPerVisitor: number[],
 *   fpsReceived: number[],
 * }} MeshResult
 */

const ROUNDS = rounds(1);
const SIZES = (process.env.BENCH_SIZES ?? '2,4,6').split(',').map(Number);
const SETTLE_MS = 4_000;
const FORM_MS = 60_000;
const WINDOW_MS = 8_000;

/**
 * Per remote participant: bytes sent to it (audio and video) and its video frames decoded.
 * @param {Page} page
 */
function counters(page) {
  return page.evaluate(async () => {
    const room = document.querySelector('rtc-room');
    /** @type {Record<string, { sent: number, frames: number }>} */
    const peers = {};
    for (const participant of room.participants.filter((p) => !p.isLocal)) {
      const report = await room.getStats(participant.id);
      const counted = { sent: 0, frames: 0 };
      report?.forEach((stat) => {
        if (stat.type === 'outbound-rtp') counted.sent += stat.bytesSent;
        if (stat.type === 'inbound-rtp' && stat.kind === 'video') {
          counted.frames += stat.framesDecoded;
        }
      });
      peers[participant.id] = counted;
    }
    return { peers, at: performance.now() };
  });
}

/**
 * What one page sent and received over the window, from the links there at both ends of it: a
 * link replaced meanwhile (its counters start again) is left out.
 * @param {Counters} start
 * @param {Counters} end
 */
function rates(start, end) {
  const elapsed = (end.at - start.at) / 1000;
  let sent = 0;
  /** @type {number[]} */
  const fps = [];
  for (const [id, last] of Object.entries(end.peers)) {
    const first = start.peers[id];
    if (!first || last.sent < first.sent || last.frames < first.frames) continue;
    sent += last.sent - first.sent;
    fps.push((last.frames - first.frames) / elapsed);
  }
  return { kbps: (sent * 8) / 1000 / elapsed, fps };
}

/**
 * @param {import('../test/e2e/harness.js').Browser} browser
 * @param {{ url: string }} host
 * @param {{ url: string }} server
 * @param {number} size
 * @param {boolean} adapt
 */
async function openMesh(browser, host, server, size, adapt) {
  // One deadline for the whole room, so that a room the machine cannot form costs a minute at
  // most and `npm run bench` stays under ten minutes.
  const deadline = performance.now() + FORM_MS;
  const left = () => {
    const ms = deadline - performance.now();
    if (ms <= 0) throw new Error(`the mesh did not form in ${FORM_MS / 1000} s`);
    return ms;
  };
  const roomId = crypto.randomUUID();
  /** @type {Page[]} */
  const pages = [];
  for (let i = 0; i < size; i++) {
    const page = await browser.newPage();
    if (!adapt) {
      await page.evaluateOnNewDocument(() => {
        RTCRtpSender.prototype.setParameters = () => Promise.resolve();
      });
    }
    const query = new URLSearchParams({
      server: server.url,
      'room-id': roomId,
      name: `Visitor ${i + 1}`,
      'no-prejoin': '',
    });
    await page.goto(`${host.url}/room.html?${query}`);
    pages.push(page);
    // Visitors arrive one after another, as a room fills: each sees those before it first.
    if (i > 0) await waitForRemoteVideo(page, i, left());
  }
  await Promise.all(pages.map((page) => waitForRemoteVideo(page, size - 1, left())));
  return pages;
}

const stack = await startStack();
const { server, host, chromium: browser } = stack;
const root = browser.process()?.pid;
if (root === undefined) throw new Error('the browser runs in no process of ours');
// The browser with no visitor open, subtracted from memory.
const idle = usage(root);
/** @type {MeshResult[]} */
const results = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of SIZES) {
      for (const adapt of [true, false]) {
        let pages;
        try {
          pages = await openMesh(browser, host, server, size, adapt);
        } catch (error) {
          // A machine too busy to mesh them: reported as a failed case, not measured.
          const message = error instanceof Error ? error.message : String(error);
          console.error(`${size} visitors, adapt ${adapt}: ${message.split('\n')[0]}`);
          for (const page of await browser.pages()) await page.close().catch(() => {});
          results.push({ size, adapt, failed: true, kbpsOutPerVisitor: [], fpsReceived: [] });
          continue;
        }
        await sleep(SETTLE_MS);
        const before = { usage: usage(root), pages: await Promise.all(pages.map(counters)) };
        await sleep(WINDOW_MS);
        const after = { usage: usage(root), pages: await Promise.all(pages.map(counters)) };
        const seconds = WINDOW_MS / 1000;
        /** @type {number[]} */
        const fps = [];
        /** @type {number[]} */
        const kbps = [];
        pages.forEach((_, i) => {
          const page = rates(before.pages[i], after.pages[i]);
          kbps.push(page.kbps);
          fps.push(...page.fps);
        });
        results.push({
          size,
          adapt,
          cpuPercentPerVisitor:
            ((after.usage.ticks - before.usage.ticks) / TICKS_PER_SECOND / seconds / size) * 100,
          pssMiBPerVisitor: (after.usage.rss - idle.rss) / size / 1024 / 1024,
          kbpsOutPerVisitor: kbps,
          fpsReceived: fps,
        });
        await Promise.all(pages.map((page) => page.close()));
        await sleep(1_000);
      }
    }
  }
} finally {
  await stack.close();
}

const mean = (/** @type {number[]} */ list) => list.reduce((a, b) => a + b, 0) / list.length;
const label = (/** @type {number} */ size, /** @type {boolean} */ adapt) =>
  `${size} visitors, ${adapt ? 'adapted' : 'not adapted'}`;
/**
 * A row per room size and policy: what `pick` takes of its results (NaN, left out of the
 * statistics, for a failed room's missing figure).
 * @param {(result: MeshResult) => number | number[]} pick
 */
const rowsOf = (pick) =>
  SIZES.flatMap((size) =>
    [true, false].map(
      /** @returns {import('./lib.js').Row} */ (adapt) => [
        label(size, adapt),
        results.filter((r) => r.size === size && r.adapt === adapt).flatMap(pick),
      ],
    ),
  );
printTable(
  `Browser CPU per visitor (% of one core), ${ROUNDS} round(s) of ${WINDOW_MS / 1000} s`,
  '%',
  rowsOf((r) => r.cpuPercentPerVisitor ?? NaN),
);
printTable(
  'Browser memory per visitor (PSS of all its processes above the idle browser, / visitors)',
  'MiB',
  rowsOf((r) => r.pssMiBPerVisitor ?? NaN),
);
printTable(
  'Outbound bitrate per visitor (audio and video, to everyone)',
  'kbit/s',
  rowsOf((r) => r.kbpsOutPerVisitor),
);
printTable(
  'Frame rate received, per remote video',
  'fps',
  rowsOf((r) => r.fpsReceived),
  { digits: 1 },
);
console.log(
  `\nmean received frame rate: ${SIZES.map((size) => `${size}: ${mean(results.filter((r) => r.size === size && r.adapt).flatMap((r) => r.fpsReceived)).toFixed(1)} adapted / ${mean(results.filter((r) => r.size === size && !r.adapt).flatMap((r) => r.fpsReceived)).toFixed(1)} not`).join(', ')}`,
);
writeResults('mesh', { rounds: ROUNDS, settleMs: SETTLE_MS, windowMs: WINDOW_MS, results });
