// Join → first remote frame on real networks (the lab of test/lab): for each network, a visitor
// joins a room where another waits, with <rtc-room>, and the same two visitors as a bare
// RTCPeerConnection pair with the same ICE servers, in the same lab and the same run. Needs root.
import { printTable, rounds, summarize, watchJoinToFrame, within, writeResults } from './lib.js';
import { visitRoom, waitInPage } from '../test/e2e/harness.js';
import { startLabStack } from '../test/lab/stack.js';

/** @typedef {import('../test/e2e/harness.js').Browser} Browser */
/** @typedef {import('../test/e2e/harness.js').Page} Page */
/** @typedef {Awaited<ReturnType<typeof startLabStack>>} LabStack */

const ROUNDS = rounds(5);
const UPLINK = { rateKbit: 1000, queueMs: 400, lossPercent: 3 };

/** @typedef {Omit<import('../test/lab/network.js').VisitorNetwork, 'name'>} Network unnamed */

/**
 * The networks of test/lab/networks.test.js where two visitors connect, and whether TURN is on.
 * @type {[string, Network[], boolean][]}
 */
const NETWORKS = [
  [
    'port-preserving NATs, STUN only',
    [{ nat: 'port-preserving' }, { nat: 'port-preserving' }],
    false,
  ],
  ['symmetric NATs, STUN + TURN', [{ nat: 'symmetric' }, { nat: 'symmetric' }], true],
  [
    'UDP blocked, TURN over TCP/TLS',
    [{ nat: 'port-preserving', firewall: 'no-udp' }, { nat: 'port-preserving' }],
    true,
  ],
  [
    'only TCP 443 out, turns: on 443',
    [{ nat: 'port-preserving', firewall: 'tcp-443' }, { nat: 'port-preserving' }],
    true,
  ],
  [
    'bad uplink (1 Mbit/s, 400 ms, 3 %)',
    [{ nat: 'port-preserving', uplink: UPLINK }, { nat: 'port-preserving' }],
    true,
  ],
];

/**
 * @param {LabStack} stack
 * @param {[Browser, Browser]} browsers the newcomer's and the present visitor's
 */
async function timeWidget(stack, [newcomer, present]) {
  const { host, server } = stack.urls;
  const roomId = crypto.randomUUID();
  const waiting = await visitRoom(present, { url: host }, { url: server }, roomId, 'b');
  /** @type {Page | undefined} */
  let joining;
  try {
    await waitInPage(
      waiting,
      () => document.querySelector('rtc-room').state === 'joined',
      undefined,
      'b joined',
    );
    joining = await visitRoom(
      newcomer,
      { url: host },
      { url: server },
      roomId,
      'a',
      {},
      {
        beforeLoad: watchJoinToFrame,
      },
    );
    return await joining.evaluate(() => window.labJoin);
  } finally {
    await Promise.all([waiting.close(), joining?.close()]);
  }
}

/**
 * Two bare RTCPeerConnections with the server's ICE servers: descriptions and candidates pass
 * through this process at once. ms from the newcomer's getUserMedia to its first remote frame.
 * @param {LabStack} stack
 * @param {[Browser, Browser]} browsers the newcomer's and the present visitor's
 */
async function timeBarePair(stack, [newcomer, present]) {
  const pages = await Promise.all([newcomer.newPage(), present.newPage()]);
  try {
    // Any page of the lab's host origin will do: it counts as secure, for the camera.
    await Promise.all(pages.map((page) => page.goto(`${stack.urls.host}/room.html?bare`)));
    await Promise.all(
      pages.map((page, index) =>
        page.exposeFunction(
          'labSignal',
          (/** @type {import('../test/page-globals.js').LabSignal} */ message) =>
            pages[1 - index].evaluate((m) => window.labReceive(m), message),
        ),
      ),
    );
    await Promise.all(
      pages.map((page) => page.evaluate(setUpBarePeer, stack.urls.server, page === pages[0])),
    );
    return await pages[0].evaluate(() => window.labCall());
  } finally {
    await Promise.all(pages.map((page) => page.close()));
  }
}

/**
 * In the page: one RTCPeerConnection that signals through `window.labSignal`.
 * @param {string} server
 * @param {boolean} isCaller
 */
async function setUpBarePeer(server, isCaller) {
  /** @type {{ iceServers: RTCIceServer[] }} */
  const ice = await (await fetch(`${server}/api/ice`)).json();
  const start = async () => {
    const startedAt = performance.now();
    const pc = new RTCPeerConnection({ iceServers: ice.iceServers, bundlePolicy: 'max-bundle' });
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.onicecandidate = ({ candidate }) =>
      candidate && window.labSignal({ candidate: candidate.toJSON() });
    /** @type {Promise<number>} */
    const frame = new Promise((resolve) => {
      pc.ontrack = ({ streams: [remote], track }) => {
        if (track.kind !== 'video') return;
        const video = document.createElement('video');
        video.muted = true;
        video.srcObject = remote;
        document.body.append(video);
        void video.play();
        video.requestVideoFrameCallback(() => resolve(performance.now() - startedAt));
      };
    });
    window.labReceive = async ({ description, candidate }) => {
      if (candidate) await pc.addIceCandidate(candidate);
      if (description) {
        await pc.setRemoteDescription(description);
        if (description.type === 'offer') {
          await pc.setLocalDescription();
          if (!pc.localDescription) throw new Error('no local description');
          window.labSignal({ description: pc.localDescription.toJSON() });
        }
      }
    };
    return { pc, frame };
  };
  if (isCaller) {
    window.labCall = async () => {
      const { pc, frame } = await start();
      await pc.setLocalDescription();
      if (!pc.localDescription) throw new Error('no local description');
      window.labSignal({ description: pc.localDescription.toJSON() });
      return frame;
    };
  } else {
    await start();
  }
}

/**
 * One sample, or NaN (left out of the statistics) when it found no frame in a minute.
 * @param {string} what
 * @param {() => Promise<number>} measure
 */
async function sample(what, measure) {
  try {
    return await within(60_000, measure());
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${what}: ${message.split('\n')[0]}`);
    return NaN;
  }
}

/** @type {Record<string, { widget: number[], bare: number[] }>} */
const results = {};
for (const [label, networks, turn] of NETWORKS) {
  const stack = await startLabStack({
    visitors: networks.map((network, index) => ({ name: 'ab'[index], ...network })),
    turn,
  });
  try {
    /** @type {[Browser, Browser]} */
    const browsers = [await stack.browserOf('a'), await stack.browserOf('b')];
    /** @type {number[]} */
    const widget = [];
    /** @type {number[]} */
    const bare = [];
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(await sample(`${label}, bare pair`, () => timeBarePair(stack, browsers)));
      widget.push(await sample(`${label}, <rtc-room>`, () => timeWidget(stack, browsers)));
    }
    results[label] = { widget, bare };
  } finally {
    await stack.close();
  }
}

/** @type {import('./lib.js').Row[]} */
const rows = [];
for (const [label, { widget, bare }] of Object.entries(results)) {
  rows.push([`${label}: bare pair`, bare, '']);
  rows.push([`${label}: <rtc-room>`, widget, summarize(widget).median / summarize(bare).median]);
}
printTable(
  `Join → first remote frame on lab networks (ms; ${ROUNDS} rounds each; goal ≤ 1.3× the bare pair)`,
  'ms',
  rows,
  { extra: ['× bare pair'] },
);
writeResults('lab', { rounds: ROUNDS, results });
