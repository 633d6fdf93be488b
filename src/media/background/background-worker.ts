// The worker that blurs or replaces the camera's background: MediaPipe's selfie segmentation
// (`@mediapipe/selfie_segmentation`, a classic script with its wasm and model) finds the person
// in each frame, and a 2D canvas draws the person over the blurred frame or the picture. The
// frames come and go as streams (a MediaStreamTrackProcessor's and a generator's), so nothing of
// this runs on the page's thread. The build compiles it as a classic script of its own.

/** What the page sends. */
export type BackgroundRequest =
  | {
      type: 'start';
      /** Where MediaPipe's files are, ending in `/`. */
      assets: string;
      /** The generator's writable, for the life of the worker. */
      output: WritableStream<VideoFrame>;
    }
  /** A camera's frames, from now on (the one before is let go). */
  | { type: 'camera'; input: ReadableStream<VideoFrame> }
  /** Blur, or the picture drawn behind the person. */
  | { type: 'backdrop'; picture: ImageBitmap | null }
  | { type: 'stop' };

/** What the worker says. */
export type BackgroundReport =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  /**
   * How far it cut its own work to keep up: 0 none, 1 every second frame segmented, 2 that and
   * a smaller picture.
   */
  | { type: 'level'; level: number };

/** What the worker needs of MediaPipe's solution (its `index.d.ts`). */
interface Segmenter {
  setOptions(options: { modelSelection: number; useCpuInference?: boolean }): void;
  onResults(listener: (results: { segmentationMask: CanvasImageSource }) => void): void;
  initialize(): Promise<void>;
  send(inputs: { image: ImageBitmap }): Promise<void>;
  close(): Promise<void>;
}

declare const SelfieSegmentation: new (config: {
  locateFile: (file: string) => string;
}) => Segmenter;

const scope = globalThis as unknown as {
  importScripts: (...urls: string[]) => void;
  postMessage: (report: BackgroundReport) => void;
  onmessage: ((event: MessageEvent<BackgroundRequest>) => void) | null;
  Module?: { locateFile: (file: string) => string };
};

/** By level: the size the frame is cut to for segmenting, and one frame in how many segmented. */
const LEVELS = [
  { width: 256, height: 144, every: 1 },
  { width: 256, height: 144, every: 2 },
  { width: 160, height: 90, every: 2 },
] as const;
/**
 * The blur: the frame drawn this small, softened, and stretched back (about 30 px of blur on
 * the full frame, enough that nothing behind the visitor can be read).
 */
const BLUR_WIDTH = 64;
const BLUR_HEIGHT = 36;
/** Masks counted before a level changes: most of them slow, and it goes up. */
const WINDOW = 24;

let segmenter: Segmenter | null = null;
let output: WritableStreamDefaultWriter<VideoFrame> | null = null;
let input: ReadableStreamDefaultReader<VideoFrame> | null = null;
let picture: ImageBitmap | null = null;
let level = 0;

const mask = new OffscreenCanvas(256, 144);
const maskContext = mask.getContext('2d', { willReadFrequently: true })!;
const blurred = new OffscreenCanvas(BLUR_WIDTH, BLUR_HEIGHT);
const blurContext = blurred.getContext('2d')!;
const frameCanvas = new OffscreenCanvas(640, 360);
const frameContext = frameCanvas.getContext('2d')!;

/**
 * Confidence (0–255) as opacity: below 40 background, above 160 the person, a ramp between, so
 * that a person the model is fairly sure of is drawn whole.
 */
const OPACITY = Uint8ClampedArray.from({ length: 256 }, (_, value) => ((value - 40) * 255) / 120);

// MediaPipe keeps its confidence in the mask's red channel: it becomes the alpha the compositing
// below draws the person through.
function keepMask(source: CanvasImageSource): void {
  maskContext.globalCompositeOperation = 'copy';
  maskContext.drawImage(source, 0, 0, mask.width, mask.height);
  const pixels = maskContext.getImageData(0, 0, mask.width, mask.height);
  const data = pixels.data;
  for (let i = 0; i < data.length; i += 4) data[i + 3] = OPACITY[data[i]];
  maskContext.putImageData(pixels, 0, 0);
}

async function loadSegmenter(assets: string): Promise<Segmenter> {
  const locateFile = (file: string): string => assets + file;
  // In a worker MediaPipe 0.1.1675465747 hands its wasm loader a global `Module`, loads even
  // the model with importScripts (it is fetched again as data), and never keeps the WebGL
  // context it made for its inputs: each is put right here.
  scope.Module = { locateFile };
  const importScripts = scope.importScripts;
  scope.importScripts = (...urls) =>
    importScripts(...urls.filter((url) => !url.endsWith('.tflite')));
  importScripts(locateFile('selfie_segmentation.js'));
  const solution = new SelfieSegmentation({ locateFile });
  // The landscape model, inferred on the CPU (XNNPACK in wasm): without a GPU, WebGL inference
  // costs most of two cores, and gives streaks for this model.
  solution.setOptions({ modelSelection: 1, useCpuInference: true });
  solution.onResults((results) => keepMask(results.segmentationMask));
  await solution.initialize();
  const inner = (solution as unknown as { h: { m: OffscreenCanvas; K?: unknown } }).h;
  inner.K ??= inner.m.getContext('webgl2') ?? inner.m.getContext('webgl');
  return solution;
}

function compose(frame: VideoFrame): VideoFrame {
  const { displayWidth: width, displayHeight: height } = frame;
  if (frameCanvas.width !== width || frameCanvas.height !== height) {
    frameCanvas.width = width;
    frameCanvas.height = height;
  }
  const context = frameContext;
  context.globalCompositeOperation = 'copy';
  context.drawImage(mask, 0, 0, width, height);
  context.globalCompositeOperation = 'source-in';
  context.drawImage(frame, 0, 0, width, height);
  context.globalCompositeOperation = 'destination-over';
  if (picture) {
    // Cover: the picture fills the frame, cut to its shape.
    const scale = Math.max(width / picture.width, height / picture.height);
    const w = picture.width * scale;
    const h = picture.height * scale;
    context.drawImage(picture, (width - w) / 2, (height - h) / 2, w, h);
  } else {
    blurContext.filter = 'blur(3px)';
    blurContext.drawImage(frame, 0, 0, BLUR_WIDTH, BLUR_HEIGHT);
    context.drawImage(blurred, 0, 0, width, height);
  }
  // eslint-disable-next-line compat/compat -- only browsers with the breakout box start this worker
  return new VideoFrame(frameCanvas, { timestamp: frame.timestamp });
}

/** Segments `image` into the mask; resolves with how long it took, in ms. */
async function segment(image: ImageBitmap): Promise<number> {
  const started = performance.now();
  try {
    await segmenter?.send({ image });
  } finally {
    image.close();
  }
  return performance.now() - started;
}

/**
 * Composes the frames of `reader` with the latest mask and writes them, until it is let go.
 * Segmenting runs beside them, one frame at a time: the frames keep the camera's rate, and the
 * mask its own. A mask is slow when it takes longer than the frames it is made for; when most
 * are, fewer frames are segmented, then a smaller picture of them.
 */
async function run(reader: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
  let segmenting = false;
  let interval = 0;
  let lastTimestamp = 0;
  let frames = 0;
  let segmented = 0;
  let slow = 0;
  const adapt = (ms: number): void => {
    segmenting = false;
    if (interval > 0 && ms > interval * LEVELS[level].every) slow++;
    if (++segmented % WINDOW > 0) return;
    if (slow > WINDOW / 2 && level < LEVELS.length - 1) {
      level++;
      scope.postMessage({ type: 'level', level });
    }
    slow = 0;
  };
  for (;;) {
    const { value: frame, done } = await reader.read();
    if (done) break;
    try {
      if (reader !== input || !segmenter || !output) break;
      if (lastTimestamp) interval = (frame.timestamp - lastTimestamp) / 1000;
      lastTimestamp = frame.timestamp;
      const { width, height, every } = LEVELS[level];
      if (!segmenting && frames++ % every === 0) {
        segmenting = true;
        const image = await createImageBitmap(frame, { resizeWidth: width, resizeHeight: height });
        segment(image).then(adapt, (error: unknown) =>
          scope.postMessage({ type: 'failed', message: String(error) }),
        );
      }
      await output.write(compose(frame));
    } finally {
      frame.close();
    }
  }
  reader.releaseLock();
}

scope.onmessage = ({ data: request }) => {
  switch (request.type) {
    case 'start':
      output = request.output.getWriter();
      loadSegmenter(request.assets).then(
        (loaded) => {
          segmenter = loaded;
          scope.postMessage({ type: 'ready' });
          if (input) void run(input);
        },
        (error: unknown) => scope.postMessage({ type: 'failed', message: String(error) }),
      );
      break;
    case 'camera':
      void input?.cancel();
      input = request.input.getReader();
      if (segmenter) void run(input);
      break;
    case 'backdrop':
      picture?.close();
      picture = request.picture;
      break;
    case 'stop':
      void input?.cancel();
      input = null;
      void output?.close().catch(() => undefined);
      void segmenter?.close();
      segmenter = null;
      break;
  }
};
