// Speech with pauses (espeak-ng) and steady noise (sox), made at test time at 48 kHz, and the
// measures the noise tests and the noise benchmark read from what comes out of RNNoise.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const RATE = 48000;

/** The tools, each with the Debian package it comes in and the variable that may name it. */
const TOOLS = {
  'espeak-ng': { package: 'espeak-ng', env: 'ESPEAK_NG_PATH' },
  sox: { package: 'sox', env: 'SOX_PATH' },
};

/**
 * The path of `espeak-ng` or `sox` (from its variable, else the PATH), or an Error with a
 * one-line install hint: the tests never pass without them.
 * @param {keyof typeof TOOLS} command
 */
export function findTool(command) {
  const tool = TOOLS[command];
  const fromEnv = process.env[tool.env];
  const found = fromEnv
    ? [fromEnv]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, command));
  const path = found.find((candidate) => existsSync(candidate));
  if (path) return path;
  throw new Error(
    `${command} not found: install it with \`apt-get install -y ${tool.package}\` or set ${tool.env}`,
  );
}

/** The sentences spoken, one pause of PAUSE_SECONDS before, between and after them. */
const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Please call me back when you have a moment.',
  'We will meet again at nine tomorrow morning.',
];
const PAUSE_SECONDS = 1.2;

/**
 * Reads raw 32-bit float samples as sox writes them (`-t f32`).
 * @param {Buffer} bytes
 */
const floats = (bytes) =>
  new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));

/**
 * Clean speech and noise of the same length, 48 kHz mono, and their sum; `noiseDb` is the
 * noise's level (dBFS, its RMS).
 * @param {{ noiseDb?: number, noise?: 'pinknoise' | 'whitenoise' | 'brownnoise' }} [options]
 */
export async function makeNoisySpeech({ noiseDb = -35, noise = 'pinknoise' } = {}) {
  const espeak = findTool('espeak-ng');
  const sox = findTool('sox');
  const dir = mkdtempSync(join(tmpdir(), 'rtc-room-noise-'));
  try {
    /** @type {Float32Array[]} */
    const sentences = [];
    for (const [index, sentence] of SENTENCES.entries()) {
      const wav = join(dir, `sentence-${index}.wav`);
      const raw = join(dir, `sentence-${index}.f32`);
      await run(espeak, ['-v', 'en-us', '-s', '150', '-w', wav, sentence]);
      await run(sox, [wav, '-t', 'f32', '-c', '1', '-r', String(RATE), raw]);
      sentences.push(floats(readFileSync(raw)));
    }
    // A pause before each sentence and after the last; the loudest sample at -3 dBFS.
    const pause = Math.round(PAUSE_SECONDS * RATE);
    const speech = new Float32Array(
      sentences.reduce((length, part) => length + pause + part.length, pause),
    );
    let at = 0;
    for (const part of sentences) {
      speech.set(part, (at += pause));
      at += part.length;
    }
    const peak = speech.reduce((max, x) => Math.max(max, Math.abs(x)), 0);
    for (let i = 0; i < speech.length; i++) speech[i] *= 10 ** (-3 / 20) / peak;
    const noiseFile = join(dir, 'noise.f32');
    // -R: the same noise every run.
    await run(sox, [
      '-R',
      '-n',
      '-t',
      'f32',
      '-c',
      '1',
      '-r',
      String(RATE),
      noiseFile,
      'synth',
      String(speech.length / RATE),
      noise,
    ]);
    const rawNoise = floats(readFileSync(noiseFile));
    const gain = 10 ** (noiseDb / 20) / rms(rawNoise);
    const noisy = new Float32Array(speech.length);
    for (let i = 0; i < noisy.length; i++) noisy[i] = speech[i] + rawNoise[i] * gain;
    return { speech, noisy };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** @param {ArrayLike<number>} samples */
export function rms(samples) {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / Math.max(1, samples.length));
}

const dB = (/** @type {number} */ ratio) => 10 * Math.log10(ratio);

/**
 * The lag (in samples, 0 to `maxLag`) at which `output` best matches `reference`.
 * @param {Float32Array} reference
 * @param {Float32Array} output
 * @param {number} maxLag
 */
export function lagOf(reference, output, maxLag = 4800) {
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = 0; lag <= maxLag; lag++) {
    let score = 0;
    for (let i = 0; i + lag < output.length; i += 2) score += reference[i] * output[i + lag];
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

/** 20 ms windows, for telling speech from pauses. */
const WINDOW = RATE / 50;

/**
 * What RNNoise did to noisy speech: the noise in the pauses before and after (dB it fell), the
 * speech's energy before and after (dB it changed), and its latency (ms).
 * @param {{ speech: Float32Array, noisy: Float32Array }} input
 * @param {Float32Array} output `noisy` through RNNoise
 */
export function measureDenoising({ speech, noisy }, output) {
  const lag = lagOf(speech, output);
  // Windows by the clean speech's level: pauses are far below its peak, speech near it.
  /** @type {number[]} */
  const levels = [];
  for (let start = 0; start + WINDOW <= speech.length; start += WINDOW) {
    levels.push(rms(speech.subarray(start, start + WINDOW)));
  }
  const peak = Math.max(...levels);
  const energy = { pauseIn: 0, pauseOut: 0, speechIn: 0, speechOut: 0 };
  levels.forEach((level, index) => {
    // A pause window is one whose neighbours are silent too: no speech onsets or tails.
    const neighbours = [levels[index - 2], levels[index + 2]];
    const start = index * WINDOW;
    const end = start + WINDOW;
    if (end + lag > output.length) return;
    const out = output.subarray(start + lag, end + lag);
    if ([level, ...neighbours].every((l) => l !== undefined && l < peak * 1e-3)) {
      energy.pauseIn += rms(noisy.subarray(start, end)) ** 2;
      energy.pauseOut += rms(out) ** 2;
    } else if (level > peak * 0.1) {
      energy.speechIn += rms(speech.subarray(start, end)) ** 2;
      energy.speechOut += rms(out) ** 2;
    }
  });
  return {
    noiseReductionDb: dB(energy.pauseIn / energy.pauseOut),
    speechChangeDb: dB(energy.speechOut / energy.speechIn),
    latencyMs: (lag / RATE) * 1000,
  };
}

/** Samples as base64, for a page. @param {Float32Array} samples */
export const toBase64 = (samples) =>
  Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');

/** @param {string} text */
export const fromBase64 = (text) => floats(Buffer.from(text, 'base64'));

/** The noise chunk's file, as the build named it. */
export function noiseChunk() {
  const graph = JSON.parse(
    readFileSync(new URL('../../dist/bundle-graph.json', import.meta.url), 'utf8'),
  );
  const name = Object.keys(graph.chunks).find((file) => graph.chunks[file].name === 'noise');
  if (!name) throw new Error('the build has no noise chunk: run npm run build');
  return name;
}

/**
 * Renders `samples` offline in `page` through the built noise chunk's RNNoise node (loaded from
 * `serverUrl`, worklet and wasm with it), or through a worklet that copies its input when
 * `passThrough`; resolves with what came out and how long the rendering took (ms).
 * @param {import('puppeteer-core').Page} page
 * @param {string} serverUrl
 * @param {Float32Array} samples
 * @param {{ passThrough?: boolean }} [options]
 */
export async function renderInPage(page, serverUrl, samples, { passThrough = false } = {}) {
  const { output, ms } = await page.evaluate(
    async (chunkUrl, base64, isPassThrough, rate) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const input = new Float32Array(bytes.buffer);
      const context = new OfflineAudioContext(1, input.length, rate);
      const buffer = context.createBuffer(1, input.length, rate);
      buffer.copyToChannel(input, 0);
      const source = context.createBufferSource();
      source.buffer = buffer;
      /** @type {AudioWorkletNode} */
      let node;
      if (isPassThrough) {
        const code = `registerProcessor('copy', class extends AudioWorkletProcessor {
          process([input], [output]) { if (input[0]) output[0].set(input[0]); return true; }
        });`;
        const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
        await context.audioWorklet.addModule(url);
        node = new AudioWorkletNode(context, 'copy', { outputChannelCount: [1] });
      } else {
        const noise = await import(chunkUrl);
        node = await noise.createRnnoiseNode(context);
      }
      source.connect(node).connect(context.destination);
      source.start();
      const start = performance.now();
      const rendered = await context.startRendering();
      const ms = performance.now() - start;
      const out = new Uint8Array(rendered.getChannelData(0).buffer);
      let text = '';
      for (let i = 0; i < out.length; i += 0x8000) {
        text += String.fromCharCode(...out.subarray(i, i + 0x8000));
      }
      return { output: btoa(text), ms };
    },
    `${serverUrl}/${noiseChunk()}`,
    toBase64(samples),
    passThrough,
    RATE,
  );
  return { output: fromBase64(output), ms };
}
