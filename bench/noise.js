// What `noise-suppression="strong"` costs: the CPU of the built RNNoise worklet against a worklet
// that only copies its input, both rendering the same speech under noise offline in headless
// Chromium, interleaved; and the latency it adds, with what it does to noise and speech.
import { launchChromium, startHostPages, startRoomServer } from '../test/e2e/harness.js';
import { makeNoisySpeech, measureDenoising, RATE, renderInPage } from '../test/e2e/noisy-speech.js';
import { printTable, rounds, writeResults } from './lib.js';

const ROUNDS = rounds(5);
/** Seconds of audio each round renders: the speech repeated. */
const SECONDS = 60;

const input = await makeNoisySpeech();
const long = new Float32Array(SECONDS * RATE);
for (let at = 0; at < long.length; at += input.noisy.length) {
  long.set(input.noisy.subarray(0, Math.min(input.noisy.length, long.length - at)), at);
}

const server = await startRoomServer();
const host = await startHostPages();
const browser = await launchChromium();
/** @type {{ copy: number[], rnnoise: number[] }} */
const samples = { copy: [], rnnoise: [] };
try {
  const page = await browser.newPage();
  await page.goto(`${host.url}/blank.html`);
  // Once each before measuring: the chunk, worklet and wasm loaded and compiled.
  await renderInPage(page, server.url, long.subarray(0, RATE), { passThrough: true });
  const { output } = await renderInPage(page, server.url, input.noisy);
  const quality = measureDenoising(input, output);
  for (let round = 0; round < ROUNDS; round++) {
    samples.copy.push((await renderInPage(page, server.url, long, { passThrough: true })).ms);
    samples.rnnoise.push((await renderInPage(page, server.url, long)).ms);
  }
  const median = (/** @type {number[]} */ list) =>
    [...list].sort((a, b) => a - b)[list.length >> 1];
  const extra = median(samples.rnnoise) - median(samples.copy);
  printTable(
    `${SECONDS} s of speech under noise rendered offline, ${ROUNDS} rounds`,
    'ms',
    [
      ['a worklet that copies its input', samples.copy, ''],
      ['RNNoise worklet (strong)', samples.rnnoise, median(samples.rnnoise) / median(samples.copy)],
    ],
    { extra: ['× copy'] },
  );
  const summary = {
    cpuPercentOfOneCore: Number(((extra / (SECONDS * 1000)) * 100).toFixed(2)),
    realTimeFactor: Number(((SECONDS * 1000) / median(samples.rnnoise)).toFixed(0)),
    addedLatencyMs: Number(quality.latencyMs.toFixed(2)),
    latencyGoalMs: 20,
    noiseReductionDb: Number(quality.noiseReductionDb.toFixed(1)),
    speechChangeDb: Number(quality.speechChangeDb.toFixed(2)),
  };
  console.log(`\n${JSON.stringify(summary, null, 2)}`);
  writeResults('noise', { rounds: ROUNDS, seconds: SECONDS, samples, summary });
} finally {
  await browser.close();
  await host.close();
  await server.close();
}
