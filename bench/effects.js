// What `background="blur"` costs: the frames per second a peer connection sends of a 640×360
// camera through the built background chunk, against the same camera sent as it is, and the CPU
// of the whole browser meanwhile. One headless Chromium, one page, the two cases interleaved on
// the same connection (the sender's track replaced); the fake camera shows the person of
// test/e2e/background.test.js.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium, startHostPages, startRoomServer } from '../test/e2e/harness.js';
import { printTable, rounds, sleep, TICKS_PER_SECOND, usage, writeResults } from './lib.js';

const ROUNDS = rounds(3);
/** Let the effect load and the encoder settle before measuring. */
const SETTLE_MS = 5_000;
const WINDOW_MS = 10_000;
const CAMERA = fileURLToPath(new URL('../test/e2e/fixtures/person-camera.mjpeg', import.meta.url));
const CHUNK = readdirSync(fileURLToPath(new URL('../dist/chunks/', import.meta.url))).find((name) =>
  /^background-[\w-]+\.js$/.test(name),
);
if (!CHUNK) throw new Error('No background chunk in dist/chunks: run npm run build first');

/**
 * What the page keeps between steps.
 * @typedef {{
 *   camera: MediaStreamTrack,
 *   sender: RTCRtpSender,
 *   sending: RTCPeerConnection,
 *   effect: { apply(camera: MediaStreamTrack, mode: string): Promise<MediaStreamTrack>, close(): void } | null,
 *   reduced: boolean,
 * }} PageBench
 */

const server = await startRoomServer();
const host = await startHostPages();
const browser = await launchChromium({ camera: CAMERA });
const root = /** @type {number} */ (browser.process()?.pid);
/** @type {{ camera: { fps: number[], cpu: number[] }, blur: { fps: number[], cpu: number[] } }} */
const samples = { camera: { fps: [], cpu: [] }, blur: { fps: [], cpu: [] } };
/** @type {boolean[]} */
const reduced = [];
try {
  const page = await browser.newPage();
  await page.goto(`${host.url}/blank.html`);
  await page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: 640, height: 360, frameRate: 24 },
    });
    const [camera] = stream.getVideoTracks();
    const sending = new RTCPeerConnection();
    const receiving = new RTCPeerConnection();
    sending.onicecandidate = ({ candidate }) => candidate && receiving.addIceCandidate(candidate);
    receiving.onicecandidate = ({ candidate }) => candidate && sending.addIceCandidate(candidate);
    const sender = sending.addTrack(camera);
    await sending.setLocalDescription();
    await receiving.setRemoteDescription(
      /** @type {RTCSessionDescription} */ (sending.localDescription),
    );
    await receiving.setLocalDescription();
    await sending.setRemoteDescription(
      /** @type {RTCSessionDescription} */ (receiving.localDescription),
    );
    /** @type {PageBench} */
    const bench = { camera, sender, sending, effect: null, reduced: false };
    Object.assign(window, { bench });
  });
  const framesSent = () =>
    page.evaluate(async () => {
      const bench = /** @type {PageBench} */ (Reflect.get(window, 'bench'));
      const report = await bench.sending.getStats();
      let frames = 0;
      report.forEach((/** @type {RTCOutboundRtpStreamStats} */ stat) => {
        if (stat.type === 'outbound-rtp' && stat.kind === 'video') frames += stat.framesSent ?? 0;
      });
      return frames;
    });
  /** @param {'camera' | 'blur'} kind */
  const measure = async (kind) => {
    await page.evaluate(
      async (which, chunk, assets) => {
        const bench = /** @type {PageBench} */ (Reflect.get(window, 'bench'));
        bench.effect?.close();
        bench.effect = null;
        let track = bench.camera;
        if (which === 'blur') {
          const { BackgroundEffect } = await import(chunk);
          const effect = new BackgroundEffect(
            {
              backgroundReduced: () => void (bench.reduced = true),
              backgroundFailed: (/** @type {unknown} */ error) => error,
            },
            assets,
          );
          bench.effect = effect;
          track = await effect.apply(bench.camera, 'blur');
        }
        await bench.sender.replaceTrack(track);
      },
      kind,
      `${server.url}/chunks/${CHUNK}`,
      `${server.url}/mediapipe/`,
    );
    await sleep(SETTLE_MS);
    const before = { frames: await framesSent(), ticks: usage(root).ticks, at: Date.now() };
    await sleep(WINDOW_MS);
    const after = { frames: await framesSent(), ticks: usage(root).ticks, at: Date.now() };
    const seconds = (after.at - before.at) / 1000;
    samples[kind].fps.push((after.frames - before.frames) / seconds);
    samples[kind].cpu.push(((after.ticks - before.ticks) / TICKS_PER_SECOND / seconds) * 100);
    if (kind === 'blur')
      reduced.push(
        await page.evaluate(() => /** @type {PageBench} */ (Reflect.get(window, 'bench')).reduced),
      );
  };
  for (let round = 0; round < ROUNDS; round++) {
    await measure('camera');
    await measure('blur');
  }
  const median = (/** @type {number[]} */ list) =>
    [...list].sort((a, b) => a - b)[list.length >> 1];
  printTable(
    `Frames per second sent of a 640×360 camera at 24 fps, ${ROUNDS} rounds of ${WINDOW_MS / 1000} s`,
    'fps',
    [
      ['the camera as it is', samples.camera.fps, ''],
      [
        'background="blur"',
        samples.blur.fps,
        median(samples.blur.fps) / median(samples.camera.fps),
      ],
    ],
    { digits: 1, extra: ['× camera'] },
  );
  printTable(
    'CPU of the whole browser meanwhile (% of one core)',
    '%',
    [
      ['the camera as it is', samples.camera.cpu, ''],
      [
        'background="blur"',
        samples.blur.cpu,
        median(samples.blur.cpu) / median(samples.camera.cpu),
      ],
    ],
    { digits: 0, extra: ['× camera'] },
  );
  const summary = {
    blurFps: Number(median(samples.blur.fps).toFixed(1)),
    cameraFps: Number(median(samples.camera.fps).toFixed(1)),
    fpsGoal: 15,
    cpuRatio: Number((median(samples.blur.cpu) / median(samples.camera.cpu)).toFixed(2)),
    cpuRatioGoal: 1.5,
    reducedItsWork: reduced.some(Boolean),
  };
  console.log(`\n${JSON.stringify(summary, null, 2)}`);
  writeResults('effects', { rounds: ROUNDS, samples, summary });
} finally {
  await browser.close();
  await host.close();
  await server.close();
}
