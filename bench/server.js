// rtc-room-server against the stock `peer` server, on loopback, in one run: the sockets one
// address can hold, the total held at the cap with memory (RSS and heap) per 1,000 sockets,
// registrations per second, relay throughput in a burst (the best of three), and relay latency
// and throughput at a steady pace. Each server runs in a child process of its own so that its
// memory is its own.
// Usage: node bench/server.js [cap]   (stops by itself; clients come from 127.0.0.2, 127.0.0.3, …)
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { printTable, summarize } from './lib.js';

const CAP = Number((process.argv[2] === '--serve' ? process.argv[4] : process.argv[2]) ?? 3000);
const PER_ADDRESS = 50;
const SELF = fileURLToPath(import.meta.url);

/** @typedef {import('node:net').AddressInfo} AddressInfo */

/**
 * Child: starts one server on a free loopback port and answers RSS questions over IPC.
 * @param {string} kind
 */
async function serve(kind) {
  let port;
  if (kind === 'stock') {
    const { PeerServer } = await import('peer');
    /** @type {import('node:http').Server | import('node:https').Server} */
    const server = await new Promise((resolve) => {
      PeerServer(
        { port: 0, host: '127.0.0.1', path: '/peerjs', concurrent_limit: CAP + 1000 },
        resolve,
      );
    });
    port = /** @type {AddressInfo} */ (server.address()).port;
  } else {
    const { createRoomServer } = await import('../server/app.js');
    const { parseConfig } = await import('../server/config.js');
    const config = parseConfig(
      [
        '--max-connections',
        String(CAP),
        '--max-registrations-per-ip',
        '100000',
        '--log-level',
        'silent',
      ],
      {},
    );
    const room = createRoomServer(config);
    room.server.listen(0, '127.0.0.1');
    await once(room.server, 'listening');
    port = /** @type {AddressInfo} */ (room.server.address()).port;
  }
  process.on('message', () => {
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send?.({ rss, heapUsed });
  });
  process.send?.({ port });
}

/**
 * @param {string} kind
 * @returns {Promise<{ port: number, rss: () => Promise<{ rss: number, heapUsed: number }>, stop: () => boolean }>}
 */
function startChild(kind) {
  const child = fork(SELF, ['--serve', kind, String(CAP)], { execArgv: ['--expose-gc'] });
  return new Promise((resolve) => {
    child.once('message', (message) => {
      // The child's first message: the port it listens on.
      const { port } = /** @type {{ port: number }} */ (message);
      /** @returns {Promise<{ rss: number, heapUsed: number }>} after a full GC */
      const rss = async () => {
        await new Promise((r) => setTimeout(r, 300));
        child.send('rss');
        const [memory] = await once(child, 'message');
        return memory;
      };
      resolve({ port, rss, stop: () => child.kill() });
    });
  });
}

/**
 * Opens one PeerJS-like socket and resolves with its first message type (OPEN or ERROR…).
 * @param {number} port
 * @param {string} id
 * @param {string} from
 * @returns {Promise<{ socket: WebSocket, type: string }>}
 */
function connect(port, id, from) {
  const token = Math.random().toString(36).slice(2);
  const socket = new WebSocket(
    `ws://127.0.0.1:${port}/peerjs/peerjs?key=peerjs&id=${id}&token=${token}`,
    {
      localAddress: from,
    },
  );
  socket.on('error', () => {});
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve({ socket, type: JSON.parse(data.toString()).type }));
    socket.once('close', () => resolve({ socket, type: 'CLOSED' }));
  });
}

const roomId = () => crypto.randomUUID();
const peerId = (/** @type {string} */ room) =>
  `${room}_${Math.random().toString(16).slice(2, 18).padEnd(16, '0')}`;
const address = (/** @type {number} */ i) => `127.0.${2 + Math.floor(i / 250)}.${1 + (i % 250)}`;

/**
 * Opens `count` sockets, `perAddress` from each loopback address; returns those registered.
 * @param {number} port
 * @param {number} count
 * @param {number} perAddress
 */
async function fill(port, count, perAddress) {
  /** @type {WebSocket[]} */
  const held = [];
  for (let start = 0; start < count; start += 200) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(200, count - start) }, (_, k) =>
        connect(port, peerId(roomId()), address(Math.floor((start + k) / perAddress))),
      ),
    );
    held.push(...batch.filter((each) => each.type === 'OPEN').map((each) => each.socket));
    for (const each of batch) if (each.type !== 'OPEN') each.socket.terminate();
  }
  return held;
}

/**
 * 40 pairs, each sender sends 250 messages at once (within the guard's burst); messages/s.
 * @param {number} port
 */
async function relay(port) {
  const pairs = await openPairs(port);
  const total = pairs.length * 250;
  let received = 0;
  /** @type {Promise<void>} */
  const done = new Promise((resolve) => {
    for (const [, receiver] of pairs) {
      receiver.on('message', () => {
        if (++received === total) resolve();
      });
    }
  });
  const started = performance.now();
  for (const [sender, , dst] of pairs) {
    for (let n = 0; n < 250; n++) {
      sender.send(
        JSON.stringify({ type: 'CANDIDATE', dst, payload: { candidate: 'x'.repeat(200), n } }),
      );
    }
  }
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  const seconds = (performance.now() - started) / 1000;
  for (const [a, b] of pairs) {
    a.terminate();
    b.terminate();
  }
  return { received, total, perSecond: Math.round(received / seconds) };
}

/**
 * Opens 40 sender/receiver pairs, each pair in a room of its own: the sockets and the
 * receiver's ID.
 * @param {number} port
 */
async function openPairs(port) {
  /** @type {[WebSocket, WebSocket, string | null][]} */
  const pairs = [];
  for (let i = 0; i < 40; i++) {
    const room = roomId();
    const a = await connect(port, peerId(room), address(i));
    const b = await connect(port, peerId(room), address(i));
    pairs.push([a.socket, b.socket, new URL(b.socket.url).searchParams.get('id')]);
  }
  return pairs;
}

const PACE = { perSecond: 50, seconds: 3 };

/**
 * 40 pairs, each sender at a steady 50 messages a second (under the guard's rate) for 3 s: how
 * long each message takes from sender to receiver, and how many arrive per second.
 * @param {number} port
 */
async function pacedRelay(port) {
  const pairs = await openPairs(port);
  const perSender = PACE.perSecond * PACE.seconds;
  /** @type {number[]} */
  const latencies = [];
  /** @type {Promise<void>} */
  const done = new Promise((resolve) => {
    for (const [, receiver] of pairs) {
      receiver.on('message', (data) => {
        const { payload } = JSON.parse(data.toString());
        if (typeof payload?.sentAt !== 'number') return;
        latencies.push(performance.now() - payload.sentAt);
        if (latencies.length === pairs.length * perSender) resolve();
      });
    }
  });
  const started = performance.now();
  let sent = 0;
  const pacer = setInterval(() => {
    const due = Math.min(
      perSender,
      Math.floor(((performance.now() - started) / 1000) * PACE.perSecond),
    );
    for (; sent < due; sent++) {
      for (const [sender, , dst] of pairs) {
        const payload = { candidate: 'x'.repeat(200), sentAt: performance.now() };
        sender.send(JSON.stringify({ type: 'CANDIDATE', dst, payload }));
      }
    }
    if (sent === perSender) clearInterval(pacer);
  }, 5);
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  clearInterval(pacer);
  const seconds = (performance.now() - started) / 1000;
  for (const [a, b] of pairs) {
    a.terminate();
    b.terminate();
  }
  return { latencies, perSecond: Math.round(latencies.length / seconds) };
}

/**
 * 1,000 registrations, 100 at a time from 20 addresses of 5 sockets each: registrations/s.
 * @param {number} port
 */
async function registrations(port) {
  const started = performance.now();
  let registered = 0;
  for (let start = 0; start < 1000; start += 100) {
    const batch = await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
        connect(port, peerId(roomId()), address(1000 + Math.floor(k / 5))),
      ),
    );
    registered += batch.filter((each) => each.type === 'OPEN').length;
    for (const each of batch) each.socket.terminate();
  }
  return Math.round(registered / ((performance.now() - started) / 1000));
}

/**
 * What one server measured.
 * @typedef {{
 *   oneAddressHeld: number,
 *   heldAtCap: number,
 *   rssIdleMiB: number,
 *   rssPerThousandMiB: number,
 *   heapPerThousandMiB: number,
 *   relayPerSecond: number,
 *   relayed: string,
 *   pacedRelayPerSecond: number,
 *   pacedRelayed: string,
 *   relayLatencyP50Ms: number,
 *   relayLatencyP99Ms: number,
 *   registrationsPerSecond: number,
 * }} Figures
 */

async function main() {
  /** @type {Record<string, Figures>} */
  const figures = {};
  /** @type {Record<string, number[]>} */
  const latencies = {};
  for (const kind of ['guard', 'stock']) {
    const server = await startChild(kind);
    const idle = await server.rss();
    // One address, as many sockets as it can get.
    const one = await fill(server.port, PER_ADDRESS + 20, PER_ADDRESS + 20);
    for (const socket of one) socket.terminate();
    await new Promise((r) => setTimeout(r, 500));
    // Everyone: past the cap, 50 per address.
    const all = await fill(server.port, CAP + 200, PER_ADDRESS);
    const loaded = await server.rss();
    const perThousand = (/** @type {'rss' | 'heapUsed'} */ key) =>
      (((loaded[key] - idle[key]) / all.length) * 1000) / 2 ** 20;
    for (const socket of all) socket.terminate();
    await new Promise((r) => setTimeout(r, 1000));
    // The best of three bursts: one burst lasts well under a second, less than a load spike here.
    let throughput = await relay(server.port);
    for (let round = 1; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 300));
      const next = await relay(server.port);
      if (next.perSecond > throughput.perSecond) throughput = next;
    }
    await new Promise((r) => setTimeout(r, 1000));
    const paced = await pacedRelay(server.port);
    await new Promise((r) => setTimeout(r, 1000));
    const registeredPerSecond = await registrations(server.port);
    latencies[kind] = paced.latencies;
    const { median, p99 } = summarize(paced.latencies);
    figures[kind] = {
      oneAddressHeld: one.length,
      heldAtCap: all.length,
      rssIdleMiB: +(idle.rss / 2 ** 20).toFixed(1),
      rssPerThousandMiB: +perThousand('rss').toFixed(2),
      heapPerThousandMiB: +perThousand('heapUsed').toFixed(2),
      relayPerSecond: throughput.perSecond,
      relayed: `${throughput.received}/${throughput.total}`,
      pacedRelayPerSecond: paced.perSecond,
      pacedRelayed: `${paced.latencies.length}/${40 * PACE.perSecond * PACE.seconds}`,
      relayLatencyP50Ms: +median.toFixed(2),
      relayLatencyP99Ms: +p99.toFixed(2),
      registrationsPerSecond: registeredPerSecond,
    };
    server.stop();
  }
  /** @param {{ [K in keyof Figures]: Figures[K] extends number ? K : never }[keyof Figures]} key */
  const ratio = (key) => +(figures.guard[key] / figures.stock[key]).toFixed(2);
  const results = {
    ...figures,
    rssRatio: ratio('rssPerThousandMiB'),
    heapRatio: ratio('heapPerThousandMiB'),
    relayRatio: ratio('relayPerSecond'),
    pacedRelayRatio: ratio('pacedRelayPerSecond'),
    latencyP50Ratio: ratio('relayLatencyP50Ms'),
    latencyP99Ratio: ratio('relayLatencyP99Ms'),
    registrationsRatio: ratio('registrationsPerSecond'),
  };
  console.log(JSON.stringify({ cap: CAP, ...results }, null, 2));
  printTable(
    `Relay latency at a steady pace (40 pairs, ${PACE.perSecond} messages/s each, ${PACE.seconds} s)`,
    'ms',
    [
      ['rtc-room-server (guard)', latencies.guard, summarize(latencies.guard).p99],
      ['stock peer', latencies.stock, summarize(latencies.stock).p99],
    ],
    { digits: 2, extra: ['p99 ms'] },
  );
  process.exit(0);
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3]);
} else {
  await main();
}
