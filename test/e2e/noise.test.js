// Strong noise suppression as the build ships it: speech made with espeak-ng under noise made
// with sox goes through the noise chunk's RNNoise worklet, offline, in real browsers; the noise in
// the pauses falls and the speech stays.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAudioArrives,
  launchChromium,
  launchFirefox,
  startHostPages,
  startRoomServer,
  visitRoom,
  waitForTileCount,
  waitInPage,
} from './harness.js';
import { makeNoisySpeech, measureDenoising, noiseChunk, renderInPage } from './noisy-speech.js';

/** @typedef {import('./harness.js').Browser} Browser */

/**
 * Runs in a visitor's page before the widget loads: keeps every AudioContext made to run at
 * 48 kHz, as RNNoise's is (the stand-in tracks' take the device's rate).
 */
function recordAudioContexts() {
  const Native = window.AudioContext;
  /** @type {AudioContext[]} */
  const made = [];
  Object.assign(window, { audioContexts: made });
  window.AudioContext = class extends Native {
    /** @param {AudioContextOptions} [options] */
    constructor(options) {
      super(options);
      if (options?.sampleRate === 48000) made.push(this);
    }
  };
}

/**
 * The states of RNNoise's AudioContexts in a page.
 * @param {import('./harness.js').Page} page
 */
const rnnoiseContexts = (page) =>
  page.evaluate(() =>
    /** @type {AudioContext[]} */ (Reflect.get(window, 'audioContexts')).map(
      (context) => context.state,
    ),
  );

/**
 * Waits until the AudioContexts the page made are as asked: one of them running, or all closed.
 * @param {import('./harness.js').Page} page
 * @param {'running' | 'closed'} state
 * @param {string} what
 */
const waitForContexts = (page, state, what) =>
  waitInPage(
    page,
    (wanted) => {
      const contexts = /** @type {AudioContext[]} */ (Reflect.get(window, 'audioContexts'));
      return wanted === 'running'
        ? contexts.some((context) => context.state === 'running')
        : contexts.every((context) => context.state === 'closed');
    },
    state,
    what,
  );

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

  test('in a call, the denoised microphone is heard through mute, a rejoin and leave', async () => {
    const browser = await launchChromium();
    browsers.push(browser);
    const roomId = crypto.randomUUID();
    const strong = await visitRoom(
      browser,
      host,
      server,
      roomId,
      'Strong',
      {
        'noise-suppression': 'strong',
      },
      { beforeLoad: recordAudioContexts },
    );
    const plain = await visitRoom(browser, host, server, roomId, 'Plain');
    await waitForTileCount(plain, 2, 'the strong visitor beside the plain one');
    await waitForContexts(strong, 'running', 'RNNoise runs');
    await assertAudioArrives(plain, 1);
    /** @param {boolean} on */
    const microphone = (on) =>
      strong.evaluate((isOn) => document.querySelector('rtc-room')?.setMicrophoneEnabled(isOn), on);
    await microphone(false);
    await microphone(true);
    await assertAudioArrives(plain, 1);
    // Leave: its context closes; join again: a new one runs, and the other hears it.
    await strong.evaluate(() => document.querySelector('rtc-room')?.leave());
    await waitForContexts(strong, 'closed', 'RNNoise’s context closes on leave');
    await strong.evaluate(() => document.querySelector('rtc-room')?.join());
    await waitForTileCount(plain, 2, 'the strong visitor back');
    await waitForContexts(strong, 'running', 'RNNoise runs again');
    await assertAudioArrives(plain, 1);
    const states = await rnnoiseContexts(strong);
    assert.equal(states.filter((state) => state !== 'closed').length, 1, `${states}`);
    await strong.evaluate(() => document.querySelector('rtc-room')?.leave());
    await waitForContexts(strong, 'closed', 'RNNoise’s context closes on the second leave');
  });
});
