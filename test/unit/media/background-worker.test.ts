import { expect, waitUntil } from '@open-wc/testing';
import type { BackgroundReport } from '../../../src/media/background/background-worker.js';

const WORKER = '/src/media/background/background-worker.ts';
/** A camera at 24 fps: the frames' timestamps, in µs, are this far apart. */
const FRAME_US = 1_000_000 / 24;

type Said = BackgroundReport | { type: 'fake-mask'; width: number };

/**
 * Runs the worker over `count` camera frames with a stand-in segmentation whose masks each take
 * as long as `pace` says (`../fake-mediapipe/`), and returns what it said and wrote.
 */
async function runWorker(pace: 'quick' | 'slow' | 'slower', count: number) {
  const worker = new Worker(WORKER);
  const said: Said[] = [];
  worker.onmessage = ({ data }: MessageEvent<Said>) => said.push(data);
  let written = 0;
  const output = new WritableStream<VideoFrame>({
    write(frame) {
      written++;
      frame.close();
    },
  });
  const assets = new URL(`/test/unit/media/fake-mediapipe/${pace}/`, location.href).href;
  worker.postMessage({ type: 'start', assets, output }, [output]);
  await waitUntil(() => said.some(({ type }) => type === 'ready'), 'the worker ready');
  const picture = new OffscreenCanvas(640, 360);
  picture.getContext('2d')!.fillRect(0, 0, 640, 360);
  let made = 0;
  const input = new ReadableStream<VideoFrame>({
    pull(controller) {
      if (made === count) controller.close();
      else controller.enqueue(new VideoFrame(picture, { timestamp: made++ * FRAME_US }));
    },
  });
  worker.postMessage({ type: 'camera', input }, [input]);
  await waitUntil(() => written === count, `all ${count} frames written`, { timeout: 10_000 });
  worker.postMessage({ type: 'stop' });
  worker.terminate();
  const masks = said.flatMap((each) => (each.type === 'fake-mask' ? [each.width] : []));
  const levels = said.flatMap((each) => (each.type === 'level' ? [each.level] : []));
  return { masks, levels };
}

describe('the background worker', () => {
  it('segments every frame while its masks keep up', async () => {
    const { masks, levels } = await runWorker('quick', 96);
    expect(levels).to.deep.equal([]);
    expect(masks.length).to.be.at.least(90);
    expect(new Set(masks)).to.deep.equal(new Set([256]));
  });

  it('segments every second frame once most masks take longer than a frame', async () => {
    const { masks, levels } = await runWorker('slow', 144);
    expect(levels, 'one step, then it keeps up').to.deep.equal([1]);
    // 24 masks of every frame, then the rest at most one in two.
    expect(masks.length).to.be.within(24 + 50, 24 + 60);
    expect(new Set(masks)).to.deep.equal(new Set([256]));
  });

  it('then segments a smaller picture once most take longer than two frames', async () => {
    const { masks, levels } = await runWorker('slower', 144);
    expect(levels).to.deep.equal([1, 2]);
    expect(masks.slice(0, 48).every((width) => width === 256)).to.equal(true);
    expect(masks.slice(48).length).to.be.above(0);
    expect(masks.slice(48).every((width) => width === 160)).to.equal(true);
  });
});
