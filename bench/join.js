// Join-to-first-remote-frame for the widget with 2 and 4 visitors, direct and relayed through
// coturn, against plain PeerJS (registration + one call) measured the same way in the same run.
import {
  callWithPlainPeerJs,
  startStack,
  openVisitor,
  visitRoom,
  waitForRemoteVideo,
} from '../test/e2e/harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The last of `size` visitors joins; returns ms from join() to its first and its last remote frame. */
async function timeWidgetJoin(browser, host, server, size, extra = {}) {
  const roomId = crypto.randomUUID();
  const present = [];
  for (let i = 1; i < size; i++) {
    present.push(await visitRoom(browser, host, server, roomId, `Present ${i}`, extra));
  }
  for (const page of present) await waitForRemoteVideo(page, size - 2);
  const newcomer = await openVisitor(browser, host.url, server.url, {
    'room-id': roomId,
    name: 'Newcomer',
    ...extra,
  });
  try {
    await newcomer.waitForFunction(() => document.querySelector('rtc-room')?.state === 'prejoin');
    return await newcomer.evaluate(async (expected) => {
      const room = document.querySelector('rtc-room');
      const start = performance.now();
      void room.join();
      const framesAt = [];
      const seen = new Set();
      await new Promise((resolve) => {
        const tick = () => {
          const videos = room.shadowRoot.querySelectorAll(
            '[part~="tile"]:not([part~="tile-local"]) video',
          );
          for (const video of videos) {
            if (video.videoWidth > 0 && !seen.has(video)) {
              seen.add(video);
              framesAt.push(performance.now() - start);
            }
          }
          if (framesAt.length >= expected) resolve();
          else setTimeout(tick, 5);
        };
        tick();
      });
      return { first: framesAt[0], last: framesAt[framesAt.length - 1] };
    }, size - 1);
  } finally {
    await Promise.all([...present, newcomer].map((page) => page.close()));
  }
}

const stack = await startStack({ turn: true });
const { server, host, chromium: browser } = stack;
const relay = { 'ice-transport-policy': 'relay' };
try {
  const baseline = [];
  const widget = { 2: [], 4: [], relay2: [], relay4: [] };
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push((await callWithPlainPeerJs(browser, host, server)).elapsed);
    for (const size of [2, 4]) {
      widget[size].push(await timeWidgetJoin(browser, host, server, size));
      widget[`relay${size}`].push(await timeWidgetJoin(browser, host, server, size, relay));
    }
  }
  const row = (label, times) => [
    label,
    median(times.map((t) => t.first)),
    median(times.map((t) => t.last)),
  ];
  const rows = [
    ['plain PeerJS, 1 call (baseline)', median(baseline), median(baseline)],
    row('<rtc-room>, 2 visitors, direct', widget[2]),
    row('<rtc-room>, 4 visitors, direct', widget[4]),
    row('<rtc-room>, 2 visitors, TURN relay', widget.relay2),
    row('<rtc-room>, 4 visitors, TURN relay', widget.relay4),
  ];
  console.log(`join → remote frame, median of ${ROUNDS} rounds, headless Chromium on loopback`);
  console.log('case'.padEnd(34), 'first frame'.padStart(12), 'all frames'.padStart(12));
  for (const [label, first, last] of rows) {
    console.log(
      label.padEnd(34),
      `${first.toFixed(0)} ms`.padStart(12),
      `${last.toFixed(0)} ms`.padStart(12),
    );
  }
  const overhead = median(widget[2].map((t) => t.first)) - median(baseline);
  console.log(
    `widget overhead over plain PeerJS (2 visitors, first frame): ${overhead.toFixed(0)} ms`,
  );
} finally {
  await stack.close();
}
