// Video keeps playing while the room lives around it: chat, stats refreshes, mute toggles and a
// visitor coming and going must not reload, replace or rewind anyone's <video>.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, visitRoom, waitForRemoteVideo, waitForTileCount } from './harness.js';

/** Long enough for several of the element's 2 s stats refreshes. */
const WINDOW_MS = 10_000;

/** @typedef {import('./harness.js').Page} Page */

/**
 * One video as watchVideos follows it: whose it is, its times, the media events of a reload,
 * its rewinds, and when (ms from the start) another element took its place.
 * @typedef {{
 *   peerId: string,
 *   name: string | undefined,
 *   firstTime: number,
 *   lastTime: number,
 *   samples: number,
 *   emptied: number,
 *   loadstart: number,
 *   rewinds: string[],
 *   replacedAt: number | null,
 * }} VideoRecord
 */

/** @typedef {VideoRecord & { isShown: boolean }} WatchedVideo what `stopWatchingVideos` gives */

// Runs in the page: marks every <video> the room shows now and, until `stopWatchingVideos`,
// records any reload (emptied, loadstart), replacement or rewind of one of them.
function watchVideos() {
  const root = document.querySelector('rtc-room').shadowRoot;
  const start = performance.now();
  const tileOf = (/** @type {string} */ peerId) =>
    root.querySelector(`[part~="tile"][data-peer-id="${CSS.escape(peerId)}"]`);
  /** @type {NodeListOf<HTMLVideoElement>} */
  const videos = root.querySelectorAll('[part~="tile"] video');
  const watched = [...videos].map((video) => {
    /** @type {HTMLElement | null} */
    const tile = video.closest('[part~="tile"]');
    if (!tile?.dataset.peerId) throw new Error('a video outside any participant’s tile');
    /** @type {VideoRecord & { video: HTMLVideoElement }} */
    const entry = {
      video,
      peerId: tile.dataset.peerId,
      name: tile.querySelector('[part="name"]')?.textContent.trim(),
      firstTime: video.currentTime,
      lastTime: video.currentTime,
      samples: 0,
      emptied: 0,
      loadstart: 0,
      rewinds: [],
      replacedAt: null,
    };
    return entry;
  });
  /** @type {Map<EventTarget | null, (typeof watched)[number]>} */
  const byVideo = new Map(watched.map((entry) => [entry.video, entry]));
  // Media events do not bubble; a capture listener on the shadow root still sees them.
  const listener = (/** @type {Event} */ event) => {
    const entry = byVideo.get(event.target);
    if (entry && (event.type === 'emptied' || event.type === 'loadstart')) entry[event.type]++;
  };
  for (const type of ['emptied', 'loadstart']) root.addEventListener(type, listener, true);
  const sample = () => {
    const at = Math.round(performance.now() - start);
    for (const entry of watched) {
      const time = entry.video.currentTime;
      if (time < entry.lastTime) {
        entry.rewinds.push(`${entry.lastTime.toFixed(2)} s → ${time.toFixed(2)} s at ${at} ms`);
      }
      entry.lastTime = time;
      entry.samples++;
      const tile = tileOf(entry.peerId);
      if (tile && tile.querySelector('video') !== entry.video) entry.replacedAt ??= at;
    }
  };
  const timer = setInterval(sample, 100);
  window.stopWatchingVideos = () => {
    clearInterval(timer);
    sample();
    for (const type of ['emptied', 'loadstart']) root.removeEventListener(type, listener, true);
    return watched.map(({ video, ...entry }) => ({
      ...entry,
      // Still in the page as the video of its participant's tile.
      isShown: video.isConnected && tileOf(entry.peerId)?.querySelector('video') === video,
    }));
  };
  return watched.length;
}

/**
 * What went wrong with one watched video, in words; empty when it played on undisturbed.
 * @param {WatchedVideo} entry
 */
function describeProblems(entry) {
  const problems = [];
  if (entry.emptied) problems.push(`emptied ${entry.emptied}×`);
  if (entry.loadstart) problems.push(`loadstart ${entry.loadstart}×`);
  if (entry.rewinds.length) {
    problems.push(`currentTime went back ${entry.rewinds.length}× (first ${entry.rewinds[0]})`);
  }
  if (entry.replacedAt !== null)
    problems.push(`replaced by another element at ${entry.replacedAt} ms`);
  if (!entry.isShown) problems.push('no longer shown');
  if (entry.lastTime <= entry.firstTime) problems.push('did not play on');
  return problems;
}

/**
 * Calls one of the element's methods in the page.
 * @template {'sendMessage' | 'setMicrophoneEnabled'} M
 * @param {Page} page
 * @param {M} method
 * @param {Parameters<import('../../src/rtc-room.js').RtcRoom[M]>} args
 */
const onRoom = (page, method, ...args) =>
  page.evaluate(
    (name, values) =>
      // Its arguments' type follows `method`, a link TypeScript loses in an indexed call.
      /** @type {(...values: unknown[]) => unknown} */ (document.querySelector('rtc-room')[name])(
        ...values,
      ),
    method,
    args,
  );

describe('steady video', () => {
  /** @type {import('./harness.js').Stack<true>} */
  let stack;

  before(async () => {
    stack = await startStack({ firefox: true });
  });

  after(() => stack?.close());

  it('never reloads, replaces or rewinds a video while people chat, mute and come and go', async () => {
    const { chromium, firefox, host, server } = stack;
    const roomId = crypto.randomUUID();
    const pages = [
      await visitRoom(chromium, host, server, roomId, 'Ada'),
      await visitRoom(chromium, host, server, roomId, 'Grace'),
      await visitRoom(firefox, host, server, roomId, 'Firefox Fox'),
    ];
    const names = ['Ada', 'Grace', 'Firefox Fox'];
    let late;
    try {
      for (const page of pages) await waitForRemoteVideo(page, 2);

      const counts = [];
      for (const page of pages) counts.push(await page.evaluate(watchVideos));
      assert.deepEqual(counts, [3, 3, 3], 'each page watches its own video and two remote ones');
      const started = Date.now();

      await onRoom(pages[0], 'sendMessage', 'Hello everyone 👋');
      await onRoom(pages[1], 'setMicrophoneEnabled', false);
      await onRoom(pages[2], 'sendMessage', '你好');

      // A fourth visitor joins, is seen with moving video by everyone, then closes the tab.
      late = await visitRoom(chromium, host, server, roomId, 'Aaron');
      for (const page of pages) await waitForRemoteVideo(page, 3);
      await onRoom(pages[1], 'sendMessage', 'Welcome, Aaron');
      await onRoom(pages[1], 'setMicrophoneEnabled', true);
      await onRoom(pages[0], 'setMicrophoneEnabled', false);
      await late.close({ runBeforeUnload: true });
      for (const page of pages) await waitForTileCount(page, 3, 'the late visitor’s tile to go');
      await onRoom(pages[0], 'setMicrophoneEnabled', true);
      await onRoom(pages[2], 'setMicrophoneEnabled', false);

      // The rest of the window: a message now and then, stats refreshing by themselves.
      let turn = 0;
      while (Date.now() - started < WINDOW_MS) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await onRoom(pages[turn % 3], 'sendMessage', `still here ${turn}`);
        turn++;
      }
      await onRoom(pages[2], 'setMicrophoneEnabled', true);

      const problems = [];
      for (const [index, page] of pages.entries()) {
        const watched = await page.evaluate(() => window.stopWatchingVideos());
        for (const entry of watched) {
          const whose = `${names[index]}’s page, ${entry.name}’s video`;
          assert.ok(entry.samples >= WINDOW_MS / 200, `${whose} was sampled (${entry.samples}×)`);
          const found = describeProblems(entry);
          if (found.length) problems.push(`${whose}: ${found.join(', ')}`);
        }
      }
      assert.deepEqual(problems, [], 'every video plays on undisturbed');
    } finally {
      if (late && !late.isClosed()) await late.close();
      await Promise.all(pages.map((page) => page.close()));
    }
  });
});
