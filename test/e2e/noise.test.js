// Strong noise suppression as the build ships it: speech made with espeak-ng under noise made
// with sox goes through the noise chunk's RNNoise worklet, offline, in real browsers; the noise in
// the pauses falls and the speech stays.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchChromium, launchFirefox, startHostPages, startRoomServer } from './harness.js';
import { makeNoisySpeech, measureDenoising, noiseChunk, renderInPage } from './noisy-speech.js';

/** @typedef {import('./harness.js').Browser} Browser */

describe('strong noise suppression', { timeout: 180_000 }, () => {
  /** @type {Awaited<ReturnType<typeof makeNoisySpeech>>} */
  let input;
  /** @type {import('./harness.js').RoomServerHandle} */
  let server;
  /** @type {import('./harness.js').HostPages} */
  let host;
  /** @type {Browser[]} */
  const browsers = [];
  before(async () => {
    input = await makeNoisySpeech();
    server = await startRoomServer();
    host = await startHostPages();
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await host?.close();
    await server?.close();
  });

  test('the server sends the worklet as JavaScript and the wasm as application/wasm', async () => {
    const chunk = await fetch(`${server.url}/${noiseChunk()}`);
    const code = await chunk.text();
    const names = [...code.matchAll(/"(rnnoise[\w-]*\.(?:js|wasm))"/g)].map((m) => m[1]);
    assert.equal(names.length, 2, `the chunk names the worklet and the wasm: ${names}`);
    for (const name of names) {
      const response = await fetch(`${server.url}/chunks/${name}`);
      assert.equal(response.status, 200, name);
      assert.equal(
        response.headers.get('content-type'),
        name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8',
      );
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    }
  });

  for (const name of /** @type {const} */ (['chromium', 'firefox'])) {
    test(`in ${name}, the noise in the pauses falls by 15 dB or more and the speech stays within 3 dB`, async (t) => {
      const browser = await (name === 'chromium' ? launchChromium() : launchFirefox());
      browsers.push(browser);
      const page = await browser.newPage();
      // Another origin than the server's, as a host page is.
      await page.goto(`${host.url}/blank.html`);
      const { output } = await renderInPage(page, server.url, input.noisy);
      const measured = measureDenoising(input, output);
      t.diagnostic(JSON.stringify(measured));
      assert.ok(measured.noiseReductionDb >= 15, `noise fell by ${measured.noiseReductionDb} dB`);
      assert.ok(
        Math.abs(measured.speechChangeDb) <= 3,
        `speech changed by ${measured.speechChangeDb} dB`,
      );
      assert.ok(measured.latencyMs <= 20, `latency ${measured.latencyMs} ms`);
    });
  }
});
