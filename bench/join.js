// Join → first remote frame and → full mesh (a frame from everyone) for 2, 4 and 6 visitors,
// next to plain PeerJS (register, then call each present visitor) measured in the same run, twice:
// bare (no video on screen until the remote one), and showing every page's own camera and what
// it receives, as the widget does.
// Both start with the camera already open (the widget's prejoin preview; getUserMedia first for
// PeerJS). For the widget, where the time goes: registering, the room listed with it (state
// `joined`), each peer's hello (rtc-peer-join) and its first frame. And for two: one of each
// (the widget with a bare plain PeerJS page, both ways), to tell which side the time is on; and
// from opening a link to the room, camera closed, as a visitor following it without a prejoin does.
// Every frame is timed when it is presented (requestVideoFrameCallback), in both.
import {
  openPlainPeerPage,
  openVisitor,
  startStack,
  visitRoom,
  waitForRemoteVideo,
} from '../test/e2e/harness.js';
import { printTable, rounds, summarize, within, writeResults } from './lib.js';

/** @typedef {import('../test/e2e/harness.js').Browser} Browser */
/** @typedef {import('../test/e2e/harness.js').Page} Page */
/** @typedef {{ url: string }} Origin the host pages' or the server's */
/** @typedef {'first' | 'last' | 'joined' | 'firstHello' | 'registered'} Figure */
/**
 * One timed run, in ms: the figures it measures (the first remote frame always), or NaN and
 * `failed` when the machine could not cope.
 * @typedef {{ first: number } & Partial<Record<Exclude<Figure, 'first'>, number>> & {
 *   failed?: boolean,
 * }} Timing
 */

const ROUNDS = rounds(4);
/**
 * Rounds of a room of `size`: half again as many for two visitors (a few seconds each, and the
 * ratio the join is judged by), a share of them for more.
 */
const roundsFor = (/** @type {number} */ size) =>
  size <= 2 ? Math.ceil(1.5 * ROUNDS) : Math.max(1, Math.ceil(ROUNDS / size));
const SIZES = (process.env.BENCH_SIZES ?? '2,4,6').split(',').map(Number);
const MOST_ROUNDS = Math.max(...SIZES.map(roundsFor));

/**
 * The last of `size` visitors joins from its prejoin; its timings in ms from join().
 * @param {Browser} browser
 * @param {Origin} host
 * @param {Origin} server
 * @param {number} size
 */
async function timeWidgetJoin(browser, host, server, size) {
  const roomId = crypto.randomUUID();
  /** @type {Page[]} */
  const present = [];
  for (let i = 1; i < size; i++) {
    present.push(await visitRoom(browser, host, server, roomId, `Present ${i}`));
  }
  // A loaded two-core machine takes a while to mesh five visitors.
  await Promise.all(present.map((page) => waitForRemoteVideo(page, size - 2, 90_000)));
  const newcomer = await openVisitor(browser, host.url, server.url, {
    'room-id': roomId,
    name: 'Newcomer',
  });
  try {
    return await joinFromPrejoin(newcomer, size - 1);
  } finally {
    await Promise.all([...present, newcomer].map((page) => page.close()));
  }
}

/**
 * Joins from the prejoin once it shows the camera (the call chunk loaded, as a visitor sees it);
 * ms from join() to the first and the last of `expected` remote frames, to `joined` and to the
 * first hello.
 * @param {Page} newcomer
 * @param {number} expected
 */
async function joinFromPrejoin(newcomer, expected) {
  await newcomer.waitForFunction(
    () => {
      const room = document.querySelector('rtc-room');
      const preview = room?.shadowRoot?.querySelector('video');
      return room?.state === 'prejoin' && (preview?.videoWidth ?? 0) > 0;
    },
    { timeout: 20_000 },
  );
  return newcomer.evaluate(async (expected) => {
    const room = document.querySelector('rtc-room');
    /** @type {{ joined: number, peerJoins: number[] }} */
    const marks = { joined: NaN, peerJoins: [] };
    const start = performance.now();
    room.addEventListener('rtc-state', (event) => {
      if (event.detail.state === 'joined') marks.joined = performance.now() - start;
    });
    room.addEventListener('rtc-peer-join', () => marks.peerJoins.push(performance.now() - start));
    void room.join();
    /** @type {number[]} */
    const framesAt = [];
    /** @type {Set<HTMLVideoElement>} */
    const seen = new Set();
    /** @type {Promise<void>} */
    const meshed = new Promise((resolve) => {
      const isDone = () => framesAt.length >= expected || performance.now() - start > 60_000;
      const tick = () => {
        /** @type {NodeListOf<HTMLVideoElement>} */
        const videos = room.shadowRoot.querySelectorAll(
          '[part~="tile"]:not([part~="tile-local"]) video',
        );
        for (const video of videos) {
          if (seen.has(video)) continue;
          seen.add(video);
          // Timed as plain PeerJS's: when its first frame is presented.
          const presented = () => {
            framesAt.push(performance.now() - start);
            if (isDone()) resolve();
          };
          if (video.videoWidth > 0) presented();
          else video.requestVideoFrameCallback(presented);
        }
        if (isDone()) resolve();
        else setTimeout(tick, 5);
      };
      tick();
    });
    await meshed;
    return {
      first: framesAt[0],
      last: framesAt.length >= expected ? framesAt.at(-1) : NaN,
      joined: marks.joined,
      firstHello: marks.peerJoins[0],
    };
  }, expected);
}

/**
 * A visitor in `roomId`, once joined.
 * @param {Browser} browser
 * @param {Origin} host
 * @param {Origin} server
 * @param {string} roomId
 */
async function presentVisitor(browser, host, server, roomId) {
  const page = await visitRoom(browser, host, server, roomId, 'Present');
  try {
    // Polled: a page behind another tab runs no animation frames.
    await page.waitForFunction(() => document.querySelector('rtc-room')?.state === 'joined', {
      polling: 50,
    });
    return page;
  } catch (error) {
    await page.close();
    throw error;
  }
}

/**
 * One of each, to tell which side the extra time is on: the widget's newcomer calls a plain
 * PeerJS page of its room that shows nothing, as the bare baseline's answerer.
 * @param {Browser} browser
 * @param {Origin} host
 * @param {Origin} server
 */
async function timeWidgetCallingPlain(browser, host, server) {
  const roomId = crypto.randomUUID();
  const answerer = await openPlainPeerPage(browser, host.url, { server: server.url });
  /** @type {Page | undefined} */
  let newcomer;
  try {
    await answerer.evaluate((room) => window.answerCalls(window.peerIdIn(room)), roomId);
    newcomer = await openVisitor(browser, host.url, server.url, {
      'room-id': roomId,
      name: 'Newcomer',
    });
    return await joinFromPrejoin(newcomer, 1);
  } finally {
    await Promise.all([answerer.close(), newcomer?.close()]);
  }
}

/**
 * And the other way: a bare plain PeerJS newcomer calls a widget's visitor, as a visitor does.
 * @param {Browser} browser
 * @param {Origin} host
 * @param {Origin} server
 */
async function timePlainCallingWidget(browser, host, server) {
  const roomId = crypto.randomUUID();
  const present = await presentVisitor(browser, host, server, roomId);
  /** @type {Page | undefined} */
  let caller;
  try {
    const presentId = await present.evaluate(
      () => document.querySelector('rtc-room').participants[0].id,
    );
    caller = await openPlainPeerPage(browser, host.url, { server: server.url });
    return await caller.evaluate(
      (room, remote) =>
        window.timeMeshToFrames(window.peerIdIn(room), [remote], { asVisitor: true }),
      roomId,
      presentId,
    );
  } finally {
    await Promise.all([present.close(), caller?.close()]);
  }
}

/**
 * Plain PeerJS: `size - 1` pages join one after another, each calling those before it (a full
 * mesh, as in the widget's room); the last registers and calls each of them.
 * @param {Browser} browser
 * @param {Origin} host
 * @param {Origin} server
 * @param {number} size
 * @param {{ shows: boolean }} options
 */
async function timePlainPeerJs(browser, host, server, size, { shows }) {
  const params = { server: server.url, ...(shows ? { show: '' } : {}) };
  /** @type {Page[]} */
  const pages = [];
  try {
    // The visitors already there form a full mesh first, as the widget's do.
    /** @type {string[]} */
    const answerers = [];
    for (let i = 1; i < size; i++) {
      const page = await openPlainPeerPage(browser, host.url, params);
      pages.push(page);
      const id = `plain-${crypto.randomUUID()}`;
      await page.evaluate((peerId, present) => window.answerCalls(peerId, present), id, answerers);
      answerers.push(id);
    }
    const caller = await openPlainPeerPage(browser, host.url, params);
    pages.push(caller);
    return await caller.evaluate(
      (id, remotes) => window.timeMeshToFrames(id, remotes),
      `plain-${crypto.randomUUID()}`,
      answerers,
    );
  } finally {
    await Promise.all(pages.map((page) => page.close()));
  }
}

/**
 * Runs in the page before its scripts: `window.firstRemoteFrame` resolves with the ms from
 * navigation start to the first frame presented on a remote participant's tile.
 */
function watchFirstRemoteFrame() {
  window.firstRemoteFrame = new Promise((resolve) => {
    const tick = () => {
      const root = document.querySelector('rtc-room')?.shadowRoot;
      const video = root?.querySelector('[part~="tile"]:not([part~="tile-local"]) video');
      if (!(video instanceof HTMLVideoElement)) setTimeout(tick, 5);
      else if (video.videoWidth > 0) resolve(performance.now());
      else video.requestVideoFrameCallback(() => resolve(performance.now()));
    };
    tick();
  });
}

/**
 * A visitor opens a link to a room where one visitor waits (`no-prejoin`: the camera opens and
 * the join starts as the page loads); ms from navigation start to the first remote frame.
 * @param {Browser} browser
 * @param {Origin} host
 * @param {Origin} server
 */
async function timeWidgetFromLink(browser, host, server) {
  const roomId = crypto.randomUUID();
  const present = await presentVisitor(browser, host, server, roomId);
  /** @type {Page | undefined} */
  let newcomer;
  try {
    newcomer = await visitRoom(
      browser,
      host,
      server,
      roomId,
      'Newcomer',
      {},
      {
        beforeLoad: watchFirstRemoteFrame,
      },
    );
    return { first: await newcomer.evaluate(() => window.firstRemoteFrame) };
  } finally {
    await Promise.all([present.close(), newcomer?.close()]);
  }
}

/**
 * The same with plain PeerJS: the page opens the camera, registers and calls as it loads.
 * @param {Browser} browser
 * @param {Origin} host
 * @param {Origin} server
 */
async function timePlainFromLink(browser, host, server) {
  const answerer = await openPlainPeerPage(browser, host.url, { server: server.url });
  /** @type {Page | undefined} */
  let caller;
  try {
    const id = `plain-${crypto.randomUUID()}`;
    await answerer.evaluate((peerId) => window.answerCalls(peerId), id);
    caller = await openPlainPeerPage(browser, host.url, { server: server.url, call: id });
    return { first: await caller.evaluate(() => window.firstFrameAt) };
  } finally {
    await Promise.all([answerer.close(), caller?.close()]);
  }
}

/**
 * One sample, or a failed one (NaN, left out of the statistics) when the machine cannot cope.
 * @param {string} what
 * @param {() => Promise<Timing>} measure
 * @returns {Promise<Timing>}
 */
async function sample(what, measure) {
  try {
    return await within(150_000, measure());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${what}: ${message.split('\n')[0]}`);
    return { first: NaN, last: NaN, failed: true };
  }
}

// Every round registers six visitors or more, more than one address may in a minute by default.
const stack = await startStack({ serverFlags: ['--max-registrations-per-ip', '100000'] });
const { server, host, chromium: browser } = stack;
/** @type {Record<number, { widget: Timing[], plain: Timing[], shown: Timing[] }>} */
const samples = {};
/** @type {{ widget: Timing[], plain: Timing[] }} */
const fromLink = { widget: [], plain: [] };
/** @type {{ widgetCallingPlain: Timing[], plainCallingWidget: Timing[] }} */
const mixed = { widgetCallingPlain: [], plainCallingWidget: [] };
try {
  for (const size of SIZES) samples[size] = { widget: [], plain: [], shown: [] };
  for (let round = 0; round < MOST_ROUNDS; round++) {
    for (const size of SIZES) {
      // Larger rooms take far longer to form on two cores: fewer rounds, so that the whole
      // `npm run bench` stays within ten minutes.
      if (round >= roundsFor(size)) continue;
      samples[size].plain.push(
        await sample(`plain PeerJS, ${size}`, () =>
          timePlainPeerJs(browser, host, server, size, { shows: false }),
        ),
      );
      // Where the page's own rendering is a large share of the time: two visitors.
      if (size === 2) {
        samples[size].shown.push(
          await sample(`plain PeerJS showing its videos, ${size}`, () =>
            timePlainPeerJs(browser, host, server, size, { shows: true }),
          ),
        );
      }
      samples[size].widget.push(
        await sample(`<rtc-room>, ${size}`, () => timeWidgetJoin(browser, host, server, size)),
      );
      if (size === 2) {
        mixed.widgetCallingPlain.push(
          await sample('<rtc-room> calling plain PeerJS', () =>
            timeWidgetCallingPlain(browser, host, server),
          ),
        );
        mixed.plainCallingWidget.push(
          await sample('plain PeerJS calling <rtc-room>', () =>
            timePlainCallingWidget(browser, host, server),
          ),
        );
        fromLink.plain.push(
          await sample('plain PeerJS from a link', () => timePlainFromLink(browser, host, server)),
        );
        fromLink.widget.push(
          await sample('<rtc-room> from a link', () => timeWidgetFromLink(browser, host, server)),
        );
      }
    }
  }
} finally {
  await stack.close();
}

/**
 * A figure of every timing, NaN where a run does not measure it (summarize leaves NaN out).
 * @param {Timing[]} list
 * @param {Figure} key
 */
const figures = (list, key) => list.map((t) => t[key] ?? NaN);
const median = (/** @type {Timing[]} */ list, /** @type {Figure} */ key) =>
  summarize(figures(list, key)).median;
/** @type {[Figure, string][]} */
const tables = [
  ['first', 'join → first remote frame'],
  ['last', 'join → full mesh (a frame from everyone)'],
];
for (const [key, what] of tables) {
  /** @type {import('./lib.js').Row[]} */
  const rows = [];
  for (const size of SIZES) {
    const { widget, plain, shown } = samples[size];
    const ratio = (/** @type {Timing[]} */ baseline) => median(widget, key) / median(baseline, key);
    rows.push([`plain PeerJS, ${size} visitors`, figures(plain, key), '', '']);
    if (shown.length > 0) {
      rows.push([`plain PeerJS showing its videos, ${size}`, figures(shown, key), '', '']);
    }
    rows.push([
      `<rtc-room>, ${size} visitors`,
      figures(widget, key),
      ratio(plain),
      shown.length > 0 ? ratio(shown) : '',
    ]);
  }
  printTable(`${what}, up to ${MOST_ROUNDS} rounds, headless Chromium on loopback`, 'ms', rows, {
    extra: ['× plain PeerJS', '× plain PeerJS showing its videos'],
  });
}
printTable(
  `<rtc-room>, 2 visitors: where the join's time goes (ms from join(), ${roundsFor(2)} rounds)`,
  'ms',
  [
    [
      'registered, the room listed with it, calls out (joined; config and ICE came in the prejoin)',
      figures(samples[2].widget, 'joined'),
    ],
    ['plain PeerJS: registered', figures(samples[2].plain, 'registered')],
    ['hello from the peer (rtc-peer-join)', figures(samples[2].widget, 'firstHello')],
    ['first remote frame on its tile', figures(samples[2].widget, 'first')],
    ['plain PeerJS: first remote frame', figures(samples[2].plain, 'first')],
    ['plain PeerJS showing its videos: first frame', figures(samples[2].shown, 'first')],
  ],
);
if (mixed.widgetCallingPlain.length > 0) {
  const bare = median(samples[2].plain, 'first');
  printTable(
    `2 visitors, one of each: which side the time is on (first remote frame, ms; ${mixed.widgetCallingPlain.length} rounds)`,
    'ms',
    [
      ['plain PeerJS calling plain PeerJS (both bare)', samples[2].plain.map((t) => t.first), ''],
      [
        '<rtc-room> joining, a bare plain PeerJS page answering',
        mixed.widgetCallingPlain.map((t) => t.first),
        median(mixed.widgetCallingPlain, 'first') / bare,
      ],
      [
        'a bare plain PeerJS page calling an <rtc-room> visitor',
        mixed.plainCallingWidget.map((t) => t.first),
        median(mixed.plainCallingWidget, 'first') / bare,
      ],
      [
        '<rtc-room> joining <rtc-room>',
        samples[2].widget.map((t) => t.first),
        median(samples[2].widget, 'first') / bare,
      ],
    ],
    { extra: ['× plain PeerJS'] },
  );
}
if (fromLink.widget.length > 0) {
  printTable(
    'Opening a link to a room of two → first remote frame (ms from navigation start: the page, ' +
      `its scripts, the camera, registering and the call), ${fromLink.widget.length} rounds`,
    'ms',
    [
      ['plain PeerJS', fromLink.plain.map((t) => t.first), ''],
      [
        '<rtc-room> with no-prejoin',
        fromLink.widget.map((t) => t.first),
        median(fromLink.widget, 'first') / median(fromLink.plain, 'first'),
      ],
    ],
    { extra: ['× plain PeerJS'] },
  );
}
writeResults('join', { rounds: ROUNDS, samples, fromLink, mixed });
