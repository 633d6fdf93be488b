// Chat timings: picture transfer (1 MiB and 8 MiB) between two visitors, next to a bare
// RTCDataChannel between the same two pages (64 KiB chunks, 1 MiB in flight at most) and raw
// 64 KiB PeerJS chunks, all in the same run; a 64 MiB file downloaded against the same bare
// channel between the same two pages; and text latency across a room of four.
import {
  openPlainPeerPage,
  startStack,
  visitRoom,
  waitForRemoteVideo,
} from '../test/e2e/harness.js';
import { printTable, rounds, summarize, writeResults } from './lib.js';

const ROUNDS = rounds(3);
const TEXT_ROUNDS = 20;
const MB = 1024 * 1024;

/** @typedef {import('../test/e2e/harness.js').Page} Page */

/**
 * ms to send `size` random bytes over a bare RTCDataChannel from `sender` to `receiver`
 * (offer and answer carried by the test, ICE gathered first).
 * @param {Page} sender
 * @param {Page} receiver
 * @param {number} size
 */
async function timeBareChannel(sender, receiver, size) {
  const offer = await sender.evaluate(async () => {
    const connection = new RTCPeerConnection();
    window.bare = { connection, channel: connection.createDataChannel('bare') };
    await connection.setLocalDescription();
    await /** @type {Promise<void>} */ (
      new Promise((resolve) => {
        if (connection.iceGatheringState === 'complete') resolve();
        connection.addEventListener('icegatheringstatechange', () => {
          if (connection.iceGatheringState === 'complete') resolve();
        });
      })
    );
    if (!connection.localDescription) throw new Error('no local description');
    return connection.localDescription.toJSON();
  });
  const answer = await receiver.evaluate(
    async (description, expected) => {
      const connection = new RTCPeerConnection();
      window.bare = { connection };
      window.bare.done = new Promise((resolve) => {
        connection.addEventListener('datachannel', ({ channel }) => {
          let bytes = 0;
          channel.binaryType = 'arraybuffer';
          channel.addEventListener('message', ({ data }) => {
            bytes += data.byteLength;
            if (bytes >= expected) resolve(performance.timeOrigin + performance.now());
          });
        });
      });
      await connection.setRemoteDescription(description);
      await connection.setLocalDescription();
      await /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          if (connection.iceGatheringState === 'complete') resolve();
          connection.addEventListener('icegatheringstatechange', () => {
            if (connection.iceGatheringState === 'complete') resolve();
          });
        })
      );
      if (!connection.localDescription) throw new Error('no local description');
      return connection.localDescription.toJSON();
    },
    offer,
    size,
  );
  const start = await sender.evaluate(
    async (description, bytes) => {
      const { connection, channel } = window.bare;
      if (!channel) throw new Error('this page holds no bare channel');
      await connection.setRemoteDescription(description);
      if (channel.readyState !== 'open') {
        await new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
      }
      const chunk = crypto.getRandomValues(new Uint8Array(64 * 1024));
      channel.bufferedAmountLowThreshold = 256 * 1024;
      const now = performance.timeOrigin + performance.now();
      for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
        if (channel.bufferedAmount > 1024 * 1024) {
          await new Promise((resolve) =>
            channel.addEventListener('bufferedamountlow', resolve, { once: true }),
          );
        }
        channel.send(chunk.subarray(0, Math.min(chunk.byteLength, bytes - sent)));
      }
      return now;
    },
    answer,
    size,
  );
  const end = await receiver.evaluate(() => window.bare.done);
  await Promise.all(
    [sender, receiver].map((page) => page.evaluate(() => window.bare.connection.close())),
  );
  // NaN, left out of the statistics, if the receiver's page lost its promise.
  return (end ?? NaN) - start;
}

/**
 * ms from sendImage() to the receiver holding the whole picture, for a PNG-headed blob of `size`.
 * @param {Page} sender
 * @param {Page} receiver
 * @param {number} size
 */
async function timePicture(sender, receiver, size) {
  const before = await receiver.evaluate(() => document.querySelector('rtc-room').messages.length);
  const start = await sender.evaluate(async (bytes) => {
    const data = new Uint8Array(bytes);
    // Random bytes do not compress; 65536 is the most getRandomValues gives at once.
    for (let at = 0; at < bytes; at += 65536) {
      crypto.getRandomValues(data.subarray(at, Math.min(bytes, at + 65536)));
    }
    data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const now = performance.timeOrigin + performance.now();
    void document.querySelector('rtc-room').sendImage(new Blob([data], { type: 'image/png' }));
    return now;
  }, size);
  const end = await receiver.evaluate(
    (count) =>
      new Promise((resolve) => {
        const room = document.querySelector('rtc-room');
        const tick = () => {
          const message = room.messages[count];
          if (message?.picture?.url) resolve(performance.timeOrigin + performance.now());
          else setTimeout(tick, 5);
        };
        tick();
      }),
    before,
  );
  return end - start;
}

/**
 * ms from downloadFile() to the receiver holding the whole file, SHA-256 checked, for `size`
 * random bytes the sender offered (its hashing, before the offer, is not timed).
 * @param {Page} sender
 * @param {Page} receiver
 * @param {number} size
 */
async function timeFile(sender, receiver, size) {
  const id = await sender.evaluate(async (bytes) => {
    const data = new Uint8Array(bytes);
    for (let at = 0; at < bytes; at += 65536) {
      crypto.getRandomValues(data.subarray(at, Math.min(bytes, at + 65536)));
    }
    const message = await document.querySelector('rtc-room').sendFile(new Blob([data]));
    return message.id;
  }, size);
  return receiver.evaluate(async (id) => {
    const room = document.querySelector('rtc-room');
    while (!room.messages.some((m) => m.id === id)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const start = performance.now();
    const message = await room.downloadFile(id);
    // NaN, left out of the statistics, if the link dropped meanwhile (the file is then offered
    // again, or unavailable).
    return message.file?.state === 'done' ? performance.now() - start : NaN;
  }, id);
}

/**
 * @param {import('../test/e2e/harness.js').Browser} browser
 * @param {{ url: string }} host
 * @param {{ url: string }} server
 * @param {number} size
 */
async function timeRawPeerJs(browser, host, server, size) {
  const receiver = await openPlainPeerPage(browser, host.url, { server: server.url });
  /** @type {Page | undefined} */
  let sender;
  try {
    sender = await openPlainPeerPage(browser, host.url, { server: server.url });
    const receiverId = `raw-${crypto.randomUUID()}`;
    await receiver.evaluate((id, bytes) => window.receiveBytes(id, bytes), receiverId, size);
    const start = await sender.evaluate(
      (id, remote, bytes) => window.sendBytes(id, remote, bytes),
      `raw-${crypto.randomUUID()}`,
      receiverId,
      size,
    );
    const end = await receiver.evaluate(() => window.received);
    return end - start;
  } finally {
    await Promise.all([receiver.close(), sender?.close()]);
  }
}

/**
 * For each of `rounds` messages from the first page, ms until the last of the others has it.
 * @param {Page[]} pages
 * @param {number} rounds
 */
async function timeText(pages, rounds) {
  const [writer, ...readers] = pages;
  /** @type {number[]} */
  const latencies = [];
  for (let round = 0; round < rounds; round++) {
    const text = `latency ${round} ${crypto.randomUUID()}`;
    const waits = readers.map((page) =>
      page.evaluate(
        (expected) =>
          /** @type {Promise<number>} */ (
            new Promise((resolve) => {
              const room = document.querySelector('rtc-room');
              room.addEventListener('rtc-message', function handle(event) {
                if (event.detail.message.text !== expected) return;
                room.removeEventListener('rtc-message', handle);
                resolve(performance.timeOrigin + performance.now());
              });
            })
          ),
        text,
      ),
    );
    // The listeners are in place before the message leaves.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const start = await writer.evaluate((value) => {
      const now = performance.timeOrigin + performance.now();
      void document.querySelector('rtc-room').sendMessage(value);
      return now;
    }, text);
    const ends = await Promise.all(waits);
    latencies.push(Math.max(...ends) - start);
    // Stay under the sender's own rate limit (5 a second).
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return latencies;
}

const stack = await startStack();
const { server, host, chromium: browser } = stack;
/** @type {Record<string, { peerjs: number[], bare: number[], widget: number[] }>} */
const pictures = {};
/** @type {{ bare: number[], widget: number[] }} */
const files = { bare: [], widget: [] };
const FILE_SIZE = 64 * MB;
/** @type {number[]} */
let text;
try {
  for (let round = 0; round < ROUNDS; round++) {
    const roomId = crypto.randomUUID();
    const sender = await visitRoom(browser, host, server, roomId, 'Sender');
    const receiver = await visitRoom(browser, host, server, roomId, 'Receiver');
    await waitForRemoteVideo(receiver, 1);
    await waitForRemoteVideo(sender, 1);
    // Turn about, so neither always runs on a warmer machine.
    if (round % 2 === 0) files.widget.push(await timeFile(sender, receiver, FILE_SIZE));
    files.bare.push(await timeBareChannel(sender, receiver, FILE_SIZE));
    if (round % 2 === 1) files.widget.push(await timeFile(sender, receiver, FILE_SIZE));
    await sender.close();
    await receiver.close();
  }
  for (const size of [1 * MB, 8 * MB]) {
    const label = `${size / MB} MiB`;
    pictures[label] = { peerjs: [], bare: [], widget: [] };
    for (let round = 0; round < ROUNDS; round++) {
      pictures[label].peerjs.push(await timeRawPeerJs(browser, host, server, size));
      const roomId = crypto.randomUUID();
      const sender = await visitRoom(browser, host, server, roomId, 'Sender');
      const receiver = await visitRoom(browser, host, server, roomId, 'Receiver');
      await waitForRemoteVideo(receiver, 1);
      pictures[label].widget.push(await timePicture(sender, receiver, size));
      pictures[label].bare.push(await timeBareChannel(sender, receiver, size));
      await sender.close();
      await receiver.close();
    }
  }
  const roomId = crypto.randomUUID();
  const pages = [];
  for (const name of ['Writer', 'Reader 1', 'Reader 2', 'Reader 3']) {
    pages.push(await visitRoom(browser, host, server, roomId, name));
  }
  for (const page of pages) await waitForRemoteVideo(page, 3, 60_000);
  text = await timeText(pages, TEXT_ROUNDS);
  await Promise.all(pages.map((page) => page.close()));
} finally {
  await stack.close();
}

const rate = (/** @type {number[]} */ list, /** @type {number} */ size) =>
  list.map((ms) => size / MB / (ms / 1000));
/** @type {import('./lib.js').Row[]} */
const rows = [];
for (const size of [1 * MB, 8 * MB]) {
  const label = `${size / MB} MiB`;
  const { bare, peerjs, widget } = pictures[label];
  const bareMedian = summarize(rate(bare, size)).median;
  rows.push([`${label}, bare RTCDataChannel (same pages)`, rate(bare, size), 1]);
  rows.push([
    `${label}, raw PeerJS 64 KiB chunks`,
    rate(peerjs, size),
    summarize(rate(peerjs, size)).median / bareMedian,
  ]);
  rows.push([
    `${label} picture, <rtc-room> (video on)`,
    rate(widget, size),
    summarize(rate(widget, size)).median / bareMedian,
  ]);
}
printTable(
  `Picture throughput, ${ROUNDS} rounds, two headless Chromium pages on loopback`,
  'MiB/s',
  rows,
  {
    digits: 2,
    extra: ['× bare channel (medians)'],
  },
);
const fileBare = summarize(rate(files.bare, FILE_SIZE)).median;
printTable(
  `File throughput, 64 MiB, ${ROUNDS} rounds, two headless Chromium pages on loopback`,
  'MiB/s',
  [
    ['bare RTCDataChannel (same pages, video on)', rate(files.bare, FILE_SIZE), 1],
    [
      'downloadFile(), SHA-256 checked (video on)',
      rate(files.widget, FILE_SIZE),
      summarize(rate(files.widget, FILE_SIZE)).median / fileBare,
    ],
  ],
  { digits: 2, extra: ['× bare channel (medians)'] },
);
printTable(
  `Chat text latency to all 3 others in a room of 4 (${TEXT_ROUNDS} messages)`,
  'ms',
  [['sendMessage() → rtc-message at the last reader', text]],
  { digits: 1 },
);
writeResults('chat', { rounds: ROUNDS, samples: { ...pictures, files, text } });
