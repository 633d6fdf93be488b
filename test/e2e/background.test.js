// The background effect as the build ships it, in a real call: a fake camera shows a person
// (NASA's portrait of Eileen Collins, public domain) between two strips of a black and white
// checkerboard. Blurred, the video another visitor receives keeps the person and loses the
// squares; a picture takes the squares' place; a browser that cannot run it says why and sends
// the camera as it is; files that cannot load turn the camera off with a clear error.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  launchChromium,
  launchFirefox,
  readEvents,
  startHostPages,
  startRoomServer,
  visitRoom,
  waitForRemoteVideo,
  waitInPage,
} from './harness.js';

/** @typedef {import('./harness.js').Browser} Browser */
/** @typedef {import('./harness.js').Page} Page */

const CAMERA = fileURLToPath(new URL('./fixtures/person-camera.mjpeg', import.meta.url));

/** Inside the person (face, suit), in the camera's 640×360 frame. */
const PERSON = [
  [300, 75],
  [190, 250],
  [375, 225],
];
/** The centres of checkerboard squares (40 px), left and right of the person. */
const SQUARES = [
  [60, 100],
  [100, 180],
  [20, 300],
  [540, 140],
  [580, 260],
  [620, 20],
];

/** A 16×9 picture of one green, as a data: URL (a PNG made in the page). */
async function greenPicture(/** @type {Page} */ page) {
  return page.evaluate(() => {
    const canvas = Object.assign(document.createElement('canvas'), { width: 16, height: 9 });
    const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
    context.fillStyle = 'rgb(0, 200, 0)';
    context.fillRect(0, 0, 16, 9);
    return canvas.toDataURL('image/png');
  });
}

/**
 * The colours, averaged over 5×5 pixels, at `points` of the video in `name`'s tile, as the
 * page shows it (scaled to 640×360).
 * @param {Page} page
 * @param {string} name
 * @param {number[][]} points
 * @returns {Promise<number[][]>}
 */
function sample(page, name, points) {
  return page.evaluate(
    (wanted, at) => {
      const root = /** @type {ShadowRoot} */ (document.querySelector('rtc-room')?.shadowRoot);
      // A visitor's own tile is named "… (you)".
      const tile = [...root.querySelectorAll('[part~="tile"]')].find((candidate) =>
        candidate.querySelector('[part="name"]')?.textContent?.trim().startsWith(wanted),
      );
      const video = /** @type {HTMLVideoElement} */ (tile?.querySelector('video'));
      const canvas = Object.assign(document.createElement('canvas'), { width: 640, height: 360 });
      const context = /** @type {CanvasRenderingContext2D} */ (
        canvas.getContext('2d', { willReadFrequently: true })
      );
      context.drawImage(video, 0, 0, 640, 360);
      return at.map(([x, y]) => {
        const { data } = context.getImageData(x - 2, y - 2, 5, 5);
        const sum = [0, 0, 0];
        for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
        return sum.map((value) => Math.round(value / 25));
      });
    },
    name,
    points,
  );
}

/** The largest difference of one channel between two colours. */
const distance = (/** @type {number[]} */ a, /** @type {number[]} */ b) =>
  Math.max(...a.map((value, c) => Math.abs(value - b[c])));

/** Whether `page` has a remote tile of `name` with frames. */
const hasVideoOf = (/** @type {Page} */ page, /** @type {string} */ name) =>
  waitInPage(
    page,
    (wanted) => {
      const root = document.querySelector('rtc-room')?.shadowRoot;
      const tile = [...(root?.querySelectorAll('[part~="tile"]') ?? [])].find(
        (candidate) => candidate.querySelector('[part="name"]')?.textContent?.trim() === wanted,
      );
      return (tile?.querySelector('video')?.videoWidth ?? 0) > 0;
    },
    name,
    `${name}'s video`,
    60_000,
  );

describe('the background effect', { timeout: 300_000 }, () => {
  /** @type {import('./harness.js').RoomServerHandle} */
  let server;
  /** @type {import('./harness.js').HostPages} */
  let host;
  /** @type {Browser[]} */
  const browsers = [];
  before(async () => {
    server = await startRoomServer();
    host = await startHostPages();
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await host?.close();
    await server?.close();
  });

  test('the server sends MediaPipe from its package, to any site, and nothing else there', async () => {
    for (const [name, type] of [
      ['selfie_segmentation.js', 'text/javascript; charset=utf-8'],
      ['selfie_segmentation_solution_simd_wasm_bin.wasm', 'application/wasm'],
      ['selfie_segmentation_landscape.tflite', 'application/octet-stream'],
    ]) {
      const response = await fetch(`${server.url}/mediapipe/${name}`);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get('content-type'), type, name);
      assert.equal(response.headers.get('access-control-allow-origin'), '*', name);
      assert.ok((await response.arrayBuffer()).byteLength > 300, name);
    }
    for (const path of ['package.json', 'README.md', '..%2Fpackage.json', '%2e%2e/index.d.ts']) {
      const response = await fetch(`${server.url}/mediapipe/${path}`);
      assert.equal(response.status, 404, path);
    }
  });

  test('in Chromium, blur keeps the person and softens the squares in what the others receive; a picture replaces them', async (t) => {
    const browser = await launchChromium({ camera: CAMERA });
    browsers.push(browser);
    const roomId = crypto.randomUUID();
    const blurred = await visitRoom(browser, host, server, roomId, 'Blurred', {
      background: 'blur',
    });
    const plain = await visitRoom(browser, host, server, roomId, 'Plain');
    const watcher = await visitRoom(browser, host, server, roomId, 'Watcher');
    await waitForRemoteVideo(watcher, 2, 60_000);
    await hasVideoOf(watcher, 'Blurred');
    /** @type {{ person: number, squares: number, gaps: number[] }} */
    let measured = { person: Infinity, squares: 0, gaps: [] };
    // Frames through the effect arrive after the stand-in's: compare until they do (or a minute).
    for (let tries = 0; tries < 120; tries++) {
      const [camera, effect] = await Promise.all([
        sample(watcher, 'Plain', [...PERSON, ...SQUARES]),
        sample(watcher, 'Blurred', [...PERSON, ...SQUARES]),
      ]);
      const gaps = camera.map((colour, i) => distance(colour, effect[i]));
      measured = {
        person: Math.max(...gaps.slice(0, PERSON.length)),
        squares: Math.min(...gaps.slice(PERSON.length)),
        gaps,
      };
      if (measured.person <= 40 && measured.squares >= 60) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    t.diagnostic(`changes at the person's points, then the squares': ${measured.gaps}`);
    if (process.env.BACKGROUND_SHOT)
      await watcher.screenshot({ path: process.env.BACKGROUND_SHOT });
    assert.ok(measured.person <= 40, `the person changed by up to ${measured.person}`);
    assert.ok(measured.squares >= 60, `a square changed by only ${measured.squares}`);
    // What the visitor sees of themselves is what is sent: their preview is blurred too (it is
    // shown mirrored, as a mirror would: the squares are read at their mirrored places).
    const own = await sample(
      blurred,
      'Blurred',
      SQUARES.map(([x, y]) => [639 - x, y]),
    );
    const sent = await sample(watcher, 'Blurred', SQUARES);
    assert.ok(
      Math.max(...own.map((colour, i) => distance(colour, sent[i]))) <= 60,
      `the preview shows what is sent: ${JSON.stringify({ own, sent })}`,
    );

    // A picture: the squares become its green, the person stays.
    const picture = await greenPicture(blurred);
    await blurred.evaluate((url) => {
      document.querySelector('rtc-room').background = url;
    }, picture);
    const isGreen = (/** @type {number[]} */ [r, g, b]) => g > 140 && r < 90 && b < 90;
    let behind = await sample(watcher, 'Blurred', SQUARES);
    for (let tries = 0; tries < 60 && !behind.every(isGreen); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      behind = await sample(watcher, 'Blurred', SQUARES);
    }
    assert.ok(
      behind.every(isGreen),
      `the green picture behind the person: ${JSON.stringify(behind)}`,
    );
    const choice = await blurred.evaluate(
      () =>
        /** @type {HTMLSelectElement} */ (
          document.querySelector('rtc-room').shadowRoot.querySelector('[name="background"]')
        )?.value ?? 'no picker',
    );
    assert.equal(choice, '', 'the picker shows the picture');
    const errors = (await readEvents(blurred)).filter((event) => event.type === 'rtc-error');
    assert.deepEqual(errors, []);
    await plain.close();
  });

  test('in Chromium, MediaPipe files that cannot load: background-failed, the camera off, the room goes on', async () => {
    const browser = await launchChromium({ camera: CAMERA });
    browsers.push(browser);
    const roomId = crypto.randomUUID();
    const page = await visitRoom(browser, host, server, roomId, 'Broken', {
      background: 'blur',
      'background-assets': `${server.url}/nowhere/`,
    });
    await waitInPage(
      page,
      () =>
        window.rtcEvents.some(
          (event) => event.type === 'rtc-error' && event.detail.code === 'background-failed',
        ),
      undefined,
      'background-failed',
      60_000,
    );
    const state = await page.evaluate(() => {
      const room = document.querySelector('rtc-room');
      return { background: room.background, state: room.state };
    });
    assert.deepEqual(state, { background: 'none', state: 'joined' });
    await waitInPage(
      page,
      () =>
        document
          .querySelector('rtc-room')
          .shadowRoot.querySelector('[part~="tile-local"] [part="placeholder"]'),
      undefined,
      'the camera off',
    );
  });

  test('in Firefox, the picker says it cannot, and background="blur" sends the camera as it is', async () => {
    const firefox = await launchFirefox();
    const chromium = await launchChromium();
    browsers.push(firefox, chromium);
    const roomId = crypto.randomUUID();
    const page = await visitRoom(firefox, host, server, roomId, 'Firefox', { background: 'blur' });
    const other = await visitRoom(chromium, host, server, roomId, 'Chromium');
    await hasVideoOf(other, 'Firefox');
    const remote = await waitForRemoteVideo(other, 1, 60_000);
    assert.ok(
      remote.every((tile) => tile.advanced),
      'the camera plays',
    );
    const picker = await page.evaluate(() => {
      const room = document.querySelector('rtc-room');
      return { background: room.background };
    });
    assert.equal(picker.background, 'blur', 'the page asked for it');
    const disabled = await waitInPage(
      page,
      () => {
        const select = /** @type {HTMLSelectElement | null} */ (
          document.querySelector('rtc-room').shadowRoot.querySelector('[name="background"]')
        );
        return select?.disabled && select.parentElement?.querySelector('small')?.textContent;
      },
      undefined,
      'the disabled picker with its reason',
    );
    assert.equal(await disabled.jsonValue(), 'Not in this browser');
  });
});
