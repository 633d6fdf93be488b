import { expect } from '@open-wc/testing';
import { createRnnoiseNode } from '../../../src/media/noise/noise-suppressor.js';

const RATE = 48000;

/** Renders `input` through a fresh RNNoise node, offline. */
async function denoise(input: Float32Array): Promise<Float32Array> {
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

describe('RNNoise worklet', () => {
  it('probe', async () => {
    const n = RATE;
    const input = new Float32Array(n);
    for (let i = 0; i < n; i++) input[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / RATE) * (i > 24000 ? 1 : 0);
    const out = await denoise(input);
    let first = -1;
    for (let i = 0; i < n; i++) if (Math.abs(out[i]) > 1e-4) { first = i; break; }
    console.log('first nonzero', first, 'rms', Math.sqrt(out.reduce((a, x) => a + x * x, 0) / n));
    expect(first).to.be.greaterThan(0);
  });
});
