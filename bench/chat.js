// Chat timings: picture transfer (1 MB and 8 MB) between two visitors, against raw 64 KiB
// PeerJS chunks measured in the same run, and text latency across a room of four.
import { startStack, visitRoom, waitForRemoteVideo } from '../test/e2e/harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TEXT_ROUNDS = 20;
const MB = 1024 * 1024;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

/** ms from sendImage() to the receiver holding the whole picture, for a PNG-headed blob of `size`. */
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

async function timeRawPeerJs(browser, host, server, size) {
  const query = new URLSearchParams({ server: server.url });
  const receiver = await browser.newPage();
  const sender = await browser.newPage();
  try {
    await receiver.goto(`${host.url}/peerjs-call.html?${query}`);
    await sender.goto(`${host.url}/peerjs-call.html?${query}`);
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
    await receiver.close();
    await sender.close();
  }
}

/** For each of `rounds` messages from the first page, ms until the last of the others has it. */
async function timeText(pages, rounds) {
  const [writer, ...readers] = pages;
  const latencies = [];
  for (let round = 0; round < rounds; round++) {
    const text = `latency ${round} ${crypto.randomUUID()}`;
    const waits = readers.map((page) =>
      page.evaluate(
        (expected) =>
          new Promise((resolve) => {
            const room = document.querySelector('rtc-room');
            room.addEventListener('rtc-message', function handle(event) {
              if (event.detail.message.text !== expected) return;
              room.removeEventListener('rtc-message', handle);
              resolve(performance.timeOrigin + performance.now());
            });
          }),
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
try {
  const rows = [];
  for (const size of [1 * MB, 8 * MB]) {
    const raw = [];
    const widget = [];
    for (let round = 0; round < ROUNDS; round++) {
      raw.push(await timeRawPeerJs(browser, host, server, size));
      const roomId = crypto.randomUUID();
      const sender = await visitRoom(browser, host, server, roomId, 'Sender');
      const receiver = await visitRoom(browser, host, server, roomId, 'Receiver');
      await waitForRemoteVideo(receiver, 1);
      widget.push(await timePicture(sender, receiver, size));
      await sender.close();
      await receiver.close();
    }
    rows.push([`${size / MB} MB, raw PeerJS 64 KiB chunks (baseline)`, median(raw), size]);
    rows.push([`${size / MB} MB picture, <rtc-room> (video on)`, median(widget), size]);
  }
  console.log(
    `picture transfer, median of ${ROUNDS} rounds, two headless Chromium pages on loopback`,
  );
  for (const [label, ms, size] of rows) {
    const rate = size / MB / (ms / 1000);
    console.log(
      `${label.padEnd(48)} ${`${ms.toFixed(0)} ms`.padStart(9)} ${`${rate.toFixed(2)} MiB/s`.padStart(12)}`,
    );
  }

  const roomId = crypto.randomUUID();
  const pages = [];
  for (const name of ['Writer', 'Reader 1', 'Reader 2', 'Reader 3']) {
    pages.push(await visitRoom(browser, host, server, roomId, name));
  }
  for (const page of pages) await waitForRemoteVideo(page, 3);
  const latencies = await timeText(pages, TEXT_ROUNDS);
  console.log(
    `text latency to all 3 others in a room of 4 (${TEXT_ROUNDS} messages): ` +
      `median ${median(latencies).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms`,
  );
  await Promise.all(pages.map((page) => page.close()));
} finally {
  await stack.close();
}
