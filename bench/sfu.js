// The mesh against Janus, on the network lab (needs root), in one run: for 6 visitors in a mesh
// and through Janus, each visitor's browser CPU, bitrate out and in, and the frame rate of each
// remote video it receives; the same through Janus for rooms of 4, 12 (and with BENCH_SFU_SIZES,
// 20) light visitors, with Janus's own CPU; join → first remote frame for the 4th visitor of a
// room, through Janus against the mesh; and the longest gap in one visitor's sound, as another
// hears it, while a room of 4 moves to Janus as its 5th visitor arrives. Every visitor has a
// window of its own (a tab behind another is hidden, and gets no video through Janus), in one
// Chromium per home, four homes.
import {
  printTable,
  rounds,
  sleep,
  summarize,
  TICKS_PER_SECOND,
  usage,
  watchJoinToFrame,
  within,
  writeResults,
} from './lib.js';
import { visitRoom, waitForJoin, waitForRemoteVideo, waitInPage } from '../test/e2e/harness.js';
import { keepPeerConnections, startLabStack, useLightPage } from '../test/lab/stack.js';

/** @typedef {import('../test/e2e/harness.js').Browser} Browser */
/** @typedef {import('../test/e2e/harness.js').Page} Page */
/** @typedef {Awaited<ReturnType<typeof startLabStack>>} LabStack */
/** @typedef {Awaited<ReturnType<typeof readCounters>>} Counters */
/**
 * One room measured: per visitor, CPU and bitrate out and in; each remote video's frame rate;
 * Janus's CPU. A room that did not form is measured as it stood, and says how far it got.
 * @typedef {{
 *   label: string,
 *   size: number,
 *   failed?: string,
 *   cpuPercentPerVisitor?: number,
 *   janusCpuPercent?: number,
 *   kbpsOut: number[],
 *   kbpsIn: number[],
 *   fpsReceived: number[],
 * }} RoomResult
 */

const ROUNDS = rounds(3);
const LIGHT_SIZES = (process.env.BENCH_SFU_SIZES ?? '4,12').split(',').map(Number);
const HOMES = ['a', 'b', 'c', 'd'];
const SETTLE_MS = 4_000;
const WINDOW_MS = 8_000;
/** How long a room may take to form: a room of 12 light visitors takes about 50 s here. */
const FORM_MS = Math.max(90_000, 10_000 * Math.max(...LIGHT_SIZES));
/** How much sound we count as sound: the full-scale tone has an RMS of 0.7. */
const SOUND_RMS = 0.05;

/**
 * Runs in a page before its scripts: its microphone is a steady 440 Hz tone (Chromium's fake
 * one beeps once a second), so that a gap in the sound can be told from a pause between beeps.
 */
function useTone() {
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    if (!constraints?.audio) return stream;
    const context = new AudioContext();
    const tone = context.createOscillator();
    const output = context.createMediaStreamDestination();
    tone.connect(output);
    tone.start();
    for (const track of stream.getAudioTracks()) {
      stream.removeTrack(track);
      track.stop();
    }
    stream.addTrack(output.stream.getAudioTracks()[0]);
    return stream;
  };
}

/**
 * In the page: bytes out and in on each of its peer connections (null once closed), and the
 * video frames decoded for each remote participant's tile.
 * @param {Page} page
 */
function readCounters(page) {
  return page.evaluate(async () => {
    const room = document.querySelector('rtc-room');
    /** @type {({ sent: number, received: number } | null)[]} */
    const links = [];
    /** @type {Map<string, number>} */
    const framesOfTrack = new Map();
    for (const connection of window.labConnections) {
      if (connection.connectionState === 'closed') {
        links.push(null);
        continue;
      }
      const report = await connection.getStats();
      const link = { sent: 0, received: 0 };
      report.forEach((stat) => {
        if (stat.type === 'outbound-rtp') link.sent += stat.bytesSent;
        if (stat.type === 'inbound-rtp') {
          link.received += stat.bytesReceived;
          if (stat.kind === 'video') framesOfTrack.set(stat.trackIdentifier, stat.framesDecoded);
        }
      });
      links.push(link);
    }
    /** @type {Record<string, number>} */
    const frames = {};
    for (const participant of room.participants.filter((p) => !p.isLocal)) {
      const track = participant.stream?.getVideoTracks()[0];
      const decoded = track && framesOfTrack.get(track.id);
      // By track too: a stream that came anew meanwhile (a mesh call made again) is left out.
      if (track && decoded !== undefined) frames[`${participant.id} ${track.id}`] = decoded;
    }
    return { at: performance.now(), links, frames };
  });
}

/**
 * What one page sent and received over the window, on the links open at both ends of it, and
 * the frame rate of each remote video shown at both ends.
 * @param {Counters} start
 * @param {Counters} end
 */
function rates(start, end) {
  const seconds = (end.at - start.at) / 1000;
  let sent = 0;
  let received = 0;
  end.links.forEach((last, index) => {
    const first = start.links[index];
    if (!first || !last) return;
    sent += last.sent - first.sent;
    received += last.received - first.received;
  });
  const fps = Object.entries(end.frames).flatMap(([id, frames]) =>
    id in start.frames ? [(frames - start.frames[id]) / seconds] : [],
  );
  const kbps = (/** @type {number} */ bytes) => (bytes * 8) / 1000 / seconds;
  return { kbpsOut: kbps(sent), kbpsIn: kbps(received), fps };
}

/**
 * @param {LabStack} stack
 * @param {Browser} browser
 * @param {string} roomId
 * @param {string} name
 * @param {{ light?: boolean, beforeLoad?: (() => unknown)[] }} [options] a light visitor
 *   (10 frames a second, a small room, muted), and more scripts to run before the page's
 */
async function visit(stack, browser, roomId, name, { light = false, beforeLoad = [] } = {}) {
  const page = await visitRoom(
    browser,
    { url: stack.urls.host },
    { url: stack.urls.server },
    roomId,
    name,
    light ? { muted: '' } : {},
    {
      inWindow: true,
      beforeLoad: [keepPeerConnections, ...(light ? [useLightPage] : []), ...beforeLoad],
    },
  );
  await waitForJoin(page, name, 60_000);
  return page;
}

/**
 * Adds visitors to `pages` (in the homes' browsers in turn) until the room has `size`, each
 * waiting for its join; then waits until every page shows the others' videos playing.
 * @param {LabStack} stack
 * @param {Browser[]} browsers
 * @param {string} roomId
 * @param {Page[]} pages the room's pages so far; the new ones are added to it
 * @param {number} size
 * @param {boolean} light
 */
async function growRoom(stack, browsers, roomId, pages, size, light) {
  const deadline = performance.now() + FORM_MS;
  const left = () => Math.max(1, deadline - performance.now());
  while (pages.length < size) {
    const index = pages.length;
    const browser = browsers[index % browsers.length];
    pages.push(await within(left(), visit(stack, browser, roomId, `v${index + 1}`, { light })));
  }
  for (const page of pages) await waitForRemoteVideo(page, size - 1, left());
}

/**
 * How many remote videos each page shows, for a room that did not form.
 * @param {Page[]} pages
 */
function videosShown(pages) {
  return Promise.all(
    pages.map((page) =>
      page
        .evaluate(
          () =>
            [
              ...document
                .querySelector('rtc-room')
                .shadowRoot.querySelectorAll('[part~="tile"]:not([part~="tile-local"]) video'),
            ].filter((video) => video instanceof HTMLVideoElement && video.videoWidth > 0).length,
        )
        .catch(() => 0),
    ),
  );
}

/**
 * CPU ticks of every browser and of Janus.
 * @param {Browser[]} browsers
 * @param {LabStack} stack
 */
function ticks(browsers, stack) {
  const janus = stack.janus?.pid();
  return {
    browsers: browsers.reduce((sum, browser) => sum + usage(browser.process()?.pid ?? 0).ticks, 0),
    janus: janus === undefined ? 0 : usage(janus).ticks,
  };
}

/**
 * Measures a formed room over the window.
 * @param {LabStack} stack
 * @param {Browser[]} browsers
 * @param {Page[]} pages
 * @param {string} label
 * @returns {Promise<RoomResult>}
 */
async function measureRoom(stack, browsers, pages, label) {
  await sleep(SETTLE_MS);
  const before = {
    ticks: ticks(browsers, stack),
    pages: await Promise.all(pages.map(readCounters)),
  };
  await sleep(WINDOW_MS);
  const after = {
    ticks: ticks(browsers, stack),
    pages: await Promise.all(pages.map(readCounters)),
  };
  const seconds = WINDOW_MS / 1000;
  const percent = (/** @type {number} */ spent) => (spent / TICKS_PER_SECOND / seconds) * 100;
  const perPage = pages.map((_, i) => rates(before.pages[i], after.pages[i]));
  return {
    label,
    size: pages.length,
    cpuPercentPerVisitor: percent(after.ticks.browsers - before.ticks.browsers) / pages.length,
    janusCpuPercent: stack.janus ? percent(after.ticks.janus - before.ticks.janus) : undefined,
    kbpsOut: perPage.map((page) => page.kbpsOut),
    kbpsIn: perPage.map((page) => page.kbpsIn),
    fpsReceived: perPage.flatMap((page) => page.fps),
  };
}

/**
 * Rooms that grow through `sizes`, measured at each; a size the room cannot reach is measured as
 * it stands, with how far it got, and the sizes after it are not tried.
 * @param {LabStack} stack
 * @param {Browser[]} browsers
 * @param {string} route
 * @param {number[]} sizes
 * @param {boolean} light
 * @returns {Promise<RoomResult[]>}
 */
async function measureGrowingRoom(stack, browsers, route, sizes, light) {
  const roomId = crypto.randomUUID();
  /** @type {Page[]} */
  const pages = [];
  /** @type {RoomResult[]} */
  const results = [];
  try {
    for (const size of sizes) {
      const label = `${size} visitors, ${route}${light ? ', light' : ''}`;
      try {
        await growRoom(stack, browsers, roomId, pages, size, light);
        results.push(await measureRoom(stack, browsers, pages, label));
      } catch (error) {
        const shown = await videosShown(pages);
        const message = error instanceof Error ? error.message.split(';')[0] : String(error);
        const failed = `${pages.length} of ${size} joined; ${FORM_MS / 1000} s after the first, the remote videos each page showed: ${shown.join(', ')} (${message})`;
        console.error(`${label}: ${failed}`);
        results.push({
          ...(await measureRoom(stack, browsers, pages, `${label} (not formed)`)),
          failed,
        });
        break;
      }
    }
  } finally {
    await Promise.all(pages.map((page) => page.close()));
  }
  return results;
}

/**
 * Join → first remote frame for the 4th visitor of a room, `ROUNDS` times (it leaves after
 * each), with the three others there all along.
 * @param {LabStack} stack
 * @param {Browser[]} browsers
 */
async function timeJoins(stack, browsers) {
  const roomId = crypto.randomUUID();
  /** @type {Page[]} */
  const present = [];
  /** @type {number[]} */
  const samples = [];
  try {
    await growRoom(stack, browsers, roomId, present, 3, false);
    for (let round = 0; round < ROUNDS; round++) {
      const page = await visit(stack, browsers[3], roomId, 'newcomer', {
        beforeLoad: [watchJoinToFrame],
      });
      samples.push(
        await within(
          60_000,
          page.evaluate(() => window.labJoin),
        ).catch(() => NaN),
      );
      await page.close();
      for (const other of present) {
        await waitInPage(
          other,
          () => document.querySelector('rtc-room').participants.length === 3,
          undefined,
          'the newcomer to go',
          30_000,
        );
      }
    }
  } finally {
    await Promise.all(present.map((page) => page.close()));
  }
  return samples;
}

/**
 * In the receiver's page: the silences in the sound of `peerId`'s tile, through whichever track
 * its video plays now, timed on the audio thread (a busy page delays its timers, not its sound).
 * `window.labSound` tells the longest silence after the first sound (one still going counts),
 * and once the tile has played a second track (Janus's), the silence around that change (0 when
 * the sound went on), in ms.
 * @param {string} peerId
 * @param {number} threshold
 */
async function watchSound(peerId, threshold) {
  const context = new AudioContext();
  // Each render quantum: its RMS against the threshold; each silence after the first sound is
  // posted when it starts and when it ends, in the context's seconds.
  const processor = `registerProcessor('lab-silences', class extends AudioWorkletProcessor {
    heard = false;
    silentFrom = -1;
    process([input]) {
      const samples = input[0] ?? [];
      const energy = samples.reduce((sum, x) => sum + x * x, 0);
      const isLoud = samples.length > 0 && Math.sqrt(energy / samples.length) >= ${threshold};
      if (isLoud && this.silentFrom >= 0) this.port.postMessage([this.silentFrom, currentTime]);
      if (isLoud) {
        this.heard = true;
        this.silentFrom = -1;
      } else if (this.heard && this.silentFrom < 0) {
        this.silentFrom = currentTime;
        this.port.postMessage([currentTime, NaN]);
      }
      return true;
    }
  });`;
  await context.audioWorklet.addModule(
    URL.createObjectURL(new Blob([processor], { type: 'text/javascript' })),
  );
  const node = new AudioWorkletNode(context, 'lab-silences');
  // Pulled by the output, silently.
  const mute = context.createGain();
  mute.gain.value = 0;
  node.connect(mute).connect(context.destination);
  /** @type {[number, number][]} silences, NaN for one going on */
  const silences = [];
  node.port.onmessage = ({ data: [from, to] }) => {
    if (silences.at(-1)?.[0] === from) silences[silences.length - 1] = [from, to];
    else silences.push([from, to]);
  };
  /** @type {MediaStreamTrack | null} */
  let track = null;
  /** @type {MediaStreamAudioSourceNode | null} */
  let source = null;
  let tracks = 0;
  let swappedAt = NaN;
  const lengthOf = (/** @type {[number, number]} */ [from, to]) =>
    ((Number.isNaN(to) ? context.currentTime : to) - from) * 1000;
  const timer = setInterval(() => {
    const video = document
      .querySelector('rtc-room')
      .shadowRoot.querySelector(`[data-peer-id="${peerId}"] video`);
    const stream = video instanceof HTMLVideoElement ? video.srcObject : null;
    const playing = stream instanceof MediaStream ? (stream.getAudioTracks()[0] ?? null) : null;
    if (playing === track) return;
    source?.disconnect();
    source = null;
    track = playing;
    if (!track) return;
    source = context.createMediaStreamSource(new MediaStream([track]));
    source.connect(node);
    if (++tracks === 2) swappedAt = context.currentTime;
  }, 10);
  window.labSound = {
    read: () => {
      const around = silences.find(([from, to]) => from <= swappedAt && !(to < swappedAt));
      return {
        longest: Math.max(0, ...silences.map(lengthOf)),
        swap: Number.isNaN(swappedAt) ? NaN : around ? lengthOf(around) : 0,
        isSwapHeard: !Number.isNaN(swappedAt) && !(around && Number.isNaN(around[1])),
      };
    },
    stop: () => {
      clearInterval(timer);
      void context.close();
    },
  };
}

/**
 * Gaps in one visitor's sound as another hears it (ms): the longest over 3 s of a steady mesh
 * of 4; once its 5th visitor comes, the one at the moment the receiver's tile moves to the
 * stream through Janus, and the longest from the 5th's arrival until 3 s after that move.
 * `ROUNDS` rooms.
 * @param {LabStack} stack
 * @param {Browser[]} browsers
 */
async function timeSwapGaps(stack, browsers) {
  /** @type {{ steady: number[], swap: number[], around: number[] }} */
  const gaps = { steady: [], swap: [], around: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const roomId = crypto.randomUUID();
    /** @type {Page[]} */
    const pages = [];
    try {
      for (let i = 0; i < 4; i++) {
        pages.push(await visit(stack, browsers[i], roomId, `v${i + 1}`, { beforeLoad: [useTone] }));
      }
      for (const page of pages) await waitForRemoteVideo(page, 3, FORM_MS);
      const [receiver, speaker] = pages;
      const speakerId = await speaker.evaluate(
        () => document.querySelector('rtc-room').participants.find((p) => p.isLocal)?.id ?? '',
      );
      const readGaps = () => receiver.evaluate(() => window.labSound.read());
      await receiver.evaluate(watchSound, speakerId, SOUND_RMS);
      await sleep(3_000);
      gaps.steady.push((await readGaps()).longest);
      await receiver.evaluate(() => window.labSound.stop());
      await receiver.evaluate(watchSound, speakerId, SOUND_RMS);
      pages.push(await visit(stack, browsers[0], roomId, 'v5', { beforeLoad: [useTone] }));
      // Sound again after the tile moved to the stream through Janus.
      await waitInPage(
        receiver,
        () => window.labSound.read().isSwapHeard,
        undefined,
        'the sound through Janus',
        60_000,
      );
      await sleep(3_000);
      const { longest, swap } = await readGaps();
      gaps.swap.push(swap);
      gaps.around.push(longest);
    } catch (error) {
      console.error(`swap round ${round + 1}: ${error instanceof Error ? error.message : error}`);
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  }
  return gaps;
}

/**
 * A lab of four homes with Janus, one browser per home, `serverFlags` on the server; `run`
 * with them, then everything torn down.
 * @template T
 * @param {string[]} serverFlags
 * @param {(stack: LabStack, browsers: Browser[]) => Promise<T>} run
 * @returns {Promise<T>}
 */
async function inLab(serverFlags, run) {
  const stack = await startLabStack({
    visitors: HOMES.map((name) => ({ name, nat: 'port-preserving' })),
    janus: true,
    serverFlags,
    prefix: 'bsf',
  });
  const started = performance.now();
  try {
    /** @type {Browser[]} */
    const browsers = [];
    for (const home of HOMES) browsers.push(await stack.browserOf(home));
    return await run(stack, browsers);
  } finally {
    await stack.close();
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.error(`the lab with ${serverFlags.join(' ') || 'the default flags'}: ${seconds} s`);
  }
}

// A mesh of 6 needs the move to Janus above 6; the other rooms are on Janus from the start.
const mesh = await inLab(['--sfu-from', '7'], async (stack, browsers) => ({
  joins: await timeJoins(stack, browsers),
  rooms: await measureGrowingRoom(stack, browsers, 'mesh', [6], false),
}));
const swap = await inLab([], timeSwapGaps);
const sfu = await inLab(['--sfu-from', '2'], async (stack, browsers) => ({
  joins: await timeJoins(stack, browsers),
  rooms: [
    ...(await measureGrowingRoom(stack, browsers, 'Janus', [4, 6], false)),
    ...(await measureGrowingRoom(stack, browsers, 'Janus', LIGHT_SIZES, true)),
  ],
}));

const rooms = [...mesh.rooms, ...sfu.rooms];
const medianOf = (/** @type {string} */ label, /** @type {(r: RoomResult) => number[]} */ pick) =>
  summarize(rooms.filter((r) => r.label === label).flatMap(pick)).median;
/** @type {Record<string, string>} */
const FPS_GOALS = { '6 visitors, Janus': '≥ 20 (mesh ~15)' };
const lightOut4 = medianOf('4 visitors, Janus, light', (r) => r.kbpsOut);
/**
 * A row per room measured: what `pick` takes of it (NaN, left out, where it has none).
 * @param {(result: RoomResult) => number | number[] | undefined} pick
 * @param {(result: RoomResult) => import('./lib.js').Cell[]} [extra]
 * @returns {import('./lib.js').Row[]}
 */
const rowsOf = (pick, extra = () => []) =>
  rooms.map((r) => [r.label, [pick(r) ?? NaN].flat(), ...extra(r)]);

printTable(
  `Browser CPU per visitor (% of one core: all four browsers' processes / visitors), ${WINDOW_MS / 1000} s; light visitors: 10 frames a second, a 480 px room, muted`,
  '%',
  rowsOf((r) => r.cpuPercentPerVisitor),
);
printTable(
  "Janus's CPU (% of one core)",
  '%',
  rowsOf((r) => r.janusCpuPercent).filter(([label]) => label.includes('Janus')),
);
printTable(
  'Outbound bitrate per visitor (all its peer connections; goal: 12 light visitors ≤ 1.2× 4)',
  'kbit/s',
  rowsOf(
    (r) => r.kbpsOut,
    (r) =>
      r.label.endsWith('light') && !r.failed ? [summarize(r.kbpsOut).median / lightOut4] : [''],
  ),
  { extra: ['× 4 light'] },
);
printTable(
  'Inbound bitrate per visitor',
  'kbit/s',
  rowsOf((r) => r.kbpsIn),
);
printTable(
  'Frame rate received, per remote video',
  'fps',
  rowsOf(
    (r) => r.fpsReceived,
    (r) => [FPS_GOALS[r.label] ?? ''],
  ),
  { digits: 1, extra: ['goal'] },
);
const failed = rooms.filter((r) => r.failed);
if (failed.length > 0) {
  console.log('\nRooms that did not form on this machine (measured as they stood)\n');
  console.log('| case | how far it got |');
  console.log('| --- | --- |');
  for (const r of failed) console.log(`| ${r.label} | ${r.failed} |`);
}
printTable(
  `Join → first remote frame for the 4th visitor of a room (ms from joining; ${ROUNDS} rounds; goal: Janus ≤ 1.5× the mesh)`,
  'ms',
  [
    ['mesh', mesh.joins, ''],
    ['Janus', sfu.joins, summarize(sfu.joins).median / summarize(mesh.joins).median],
  ],
  { extra: ['× mesh'] },
);
printTable(
  `Longest gap in one visitor's sound as another hears it (ms; ${ROUNDS} rooms; goal at the move ≤ 500 ms)`,
  'ms',
  [
    ['a steady mesh of 4, over 3 s', swap.steady],
    ["4 → 5: as the tile moves to Janus's stream", swap.swap],
    ['4 → 5: from the 5th joining until 3 s after the move', swap.around],
  ],
);
writeResults('sfu', {
  rounds: ROUNDS,
  settleMs: SETTLE_MS,
  windowMs: WINDOW_MS,
  rooms,
  joins: { mesh: mesh.joins, sfu: sfu.joins },
  swap,
});
