// What a host page pays on a throttled mobile network: the bytes of rtc-room.js on the wire and
// the time to customElements.whenDefined('rtc-room'), then the bytes and time to the prejoin
// (the call chunk), with Chromium's network emulation (CDP) at Lighthouse's "slow 4G": 150 ms
// round trip, 1.6 Mbit/s down, 750 kbit/s up; cache disabled, so every round is a first visit.
import { launchChromium, startHostPages, startRoomServer } from '../test/e2e/harness.js';
import { printTable, rounds, writeResults } from './lib.js';

const ROUNDS = rounds(5);
const PROFILE = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1e6) / 8,
  uploadThroughput: (750 * 1e3) / 8,
};

const server = await startRoomServer();
const host = await startHostPages();
const browser = await launchChromium();
/** @type {{ bytesFirst: number[], defined: number[], bytesPrejoin: number[], prejoin: number[] }} */
const samples = { bytesFirst: [], defined: [], bytesPrejoin: [], prejoin: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    const page = await browser.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', PROFILE);
    // Bytes on the wire (headers and compressed body) of every script the server sends.
    const urls = new Map();
    let scriptBytes = 0;
    let firstFileBytes = 0;
    cdp.on('Network.responseReceived', ({ requestId, response }) =>
      urls.set(requestId, response.url),
    );
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      const url = urls.get(requestId) ?? '';
      if (!url.startsWith(server.url) || !url.endsWith('.js')) return;
      scriptBytes += encodedDataLength;
      if (url.endsWith('/rtc-room.js')) firstFileBytes = encodedDataLength;
    });
    // The lobby: no room-id, so nothing but rtc-room.js loads.
    const query = new URLSearchParams({ server: server.url });
    await page.goto(`${host.url}/room.html?${query}`, { waitUntil: 'domcontentloaded' });
    const defined = await page.evaluate(async () => {
      await customElements.whenDefined('rtc-room');
      return performance.now();
    });
    samples.defined.push(defined);
    samples.bytesFirst.push(firstFileBytes);
    // Then a room: the prejoin fetches the call chunk.
    const atPrejoin = await page.evaluate(async (roomId) => {
      const room = document.querySelector('rtc-room');
      const start = performance.now();
      room.setAttribute('room-id', roomId);
      await /** @type {Promise<void>} */ (
        new Promise((resolve) => {
          const tick = () =>
            room.shadowRoot?.querySelector('video') ? resolve() : setTimeout(tick, 10);
          tick();
        })
      );
      return performance.now() - start;
    }, crypto.randomUUID());
    samples.prejoin.push(atPrejoin);
    samples.bytesPrejoin.push(scriptBytes);
    await page.close();
  }
} finally {
  await browser.close();
  await host.close();
  await server.close();
}

const kib = (/** @type {number[]} */ list) => list.map((bytes) => bytes / 1024);
printTable(`First load on slow 4G (150 ms, 1.6 Mbit/s), ${ROUNDS} cold rounds`, 'ms', [
  ['navigation → customElements.whenDefined', samples.defined],
  ['room-id set → prejoin preview (call chunk)', samples.prejoin],
]);
printTable(
  'Bytes on the wire (compressed, with headers)',
  'KiB',
  [
    ['rtc-room.js', kib(samples.bytesFirst)],
    ['every script by the prejoin', kib(samples.bytesPrejoin)],
  ],
  { digits: 1 },
);
writeResults('load', { rounds: ROUNDS, profile: PROFILE, samples });
