import { expect } from '@open-wc/testing';
import { createRnnoiseNode, NoiseSuppressor } from '../../../src/media/noise/noise-suppressor.js';

const RATE = 48000;

/** Renders `input` through a fresh RNNoise node, offline. */
async function denoise(input: Float32Array<ArrayBuffer>): Promise<Float32Array> {
  const context = new OfflineAudioContext(1, input.length, RATE);
  const buffer = context.createBuffer(1, input.length, RATE);
  buffer.copyToChannel(input, 0);
  const source = context.createBufferSource();
  source.buffer = buffer;
  const node = await createRnnoiseNode(context);
  source.connect(node).connect(context.destination);
  source.start();
  return (await context.startRendering()).getChannelData(0);
}

/** White noise at `level` (peak), the same every run. */
function whiteNoise(length: number, level: number): Float32Array<ArrayBuffer> {
  let seed = 1;
  return Float32Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed / 2 ** 30 - 1) * level;
  });
}

const energy = (samples: Float32Array): number => samples.reduce((sum, x) => sum + x * x, 0);

describe('the RNNoise worklet', () => {
  it('takes steady noise with no voice in it down (speech under noise: test/e2e/noise.test.js)', async () => {
    const input = whiteNoise(RATE * 2, 0.05);
    const output = await denoise(input);
    // The second second: RNNoise has settled on the noise by then.
    const reduction = 10 * Math.log10(energy(input.subarray(RATE)) / energy(output.subarray(RATE)));
    expect(reduction).to.be.greaterThan(6);
  });

  it('hands silence back as silence, 448 samples of buffering first', async () => {
    const output = await denoise(new Float32Array(RATE / 10));
    expect(output.every((x) => x === 0)).to.equal(true);
  });
});

describe('NoiseSuppressor', () => {
  let microphones: MediaStreamTrack[] = [];
  afterEach(() => {
    for (const track of microphones) track.stop();
    microphones = [];
  });
  const microphone = async (): Promise<MediaStreamTrack> => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    microphones.push(...stream.getTracks());
    return stream.getAudioTracks()[0];
  };

  it('sends one track whatever the microphone, and ends it and its context on close', async () => {
    const suppressor = await NoiseSuppressor.create();
    const first = suppressor.process(await microphone());
    expect(first.readyState).to.equal('live');
    expect(first).to.not.equal(microphones[0]);
    // Another microphone: the same track goes on, so the links replace nothing.
    expect(suppressor.process(await microphone())).to.equal(first);
    suppressor.close();
    expect(first.readyState).to.equal('ended');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(suppressor.isClosed).to.equal(true);
  });
});
