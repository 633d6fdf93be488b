// `noise-suppression="strong"`: RNNoise in an AudioWorklet between the microphone and what is
// sent. A chunk of its own, loaded when a visitor first asks for it; the worklet and the wasm
// are files beside it (the build emits them, a bundler copies them from the package).
import type { RNNOISE_PROCESSOR, RnnoiseProcessorOptions } from './rnnoise-worklet.js';

/** Where the worklet module and RNNoise's wasm are. */
export interface RnnoiseAssets {
  worklet: string;
  wasm: string;
}

/** Beside this module: in the script-tag build the build rewrites both, in the package they are. */
export const RNNOISE_ASSETS: RnnoiseAssets = {
  worklet: new URL('./rnnoise-worklet.js', import.meta.url).href,
  wasm: new URL('./rnnoise.wasm', import.meta.url).href,
};

/** The worklet's processor (a copy of its name: the worklet is a file of its own). */
const PROCESSOR: typeof RNNOISE_PROCESSOR = 'rtc-room-rnnoise';

/** What counts as the visitor's gesture, which lets a context start where autoplay is blocked. */
const GESTURES = ['pointerdown', 'keydown'] as const;

/** RNNoise works at 48 kHz only. */
const SAMPLE_RATE = 48000;

/** Compiled once per URL: the module is immutable, every node of every room may share it. */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

function compileWasm(url: string): Promise<WebAssembly.Module> {
  let module = compiled.get(url);
  if (!module) {
    // Bytes, not compileStreaming(): a site hosting the files elsewhere may not say application/wasm.
    module = fetch(url)
      .then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      })
      .then((bytes) => WebAssembly.compile(bytes));
    module.catch(() => compiled.delete(url));
    compiled.set(url, module);
  }
  return module;
}

/**
 * An RNNoise node in `context` (48 kHz, mono in and out), its worklet added to the context
 * first. Where the browser cannot send a compiled module to the worklet, the bytes go instead.
 */
export async function createRnnoiseNode(
  context: BaseAudioContext,
  assets: RnnoiseAssets = RNNOISE_ASSETS,
): Promise<AudioWorkletNode> {
  const [module] = await Promise.all([
    compileWasm(assets.wasm),
    context.audioWorklet.addModule(assets.worklet),
  ]);
  const make = (wasm: RnnoiseProcessorOptions['wasm']) =>
    new AudioWorkletNode(context, PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: 'explicit',
      processorOptions: { wasm } satisfies RnnoiseProcessorOptions,
    });
  try {
    return make(module);
  } catch (error) {
    if (!(error instanceof DOMException && error.name === 'DataCloneError')) throw error;
    const bytes = await (await fetch(assets.wasm)).arrayBuffer();
    return make(bytes);
  }
}

/**
 * The microphone through RNNoise: one AudioContext and one node for the life of a LocalMedia.
 * `output` stays the same track when the microphone changes, so a device switch replaces
 * nothing on the links; `close()` releases the context.
 */
export class NoiseSuppressor {
  private source: MediaStreamAudioSourceNode | null = null;
  private stopWaiting = (): void => undefined;
  private isClosing = false;

  private constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    /** What is sent: the microphone, denoised. */
    readonly output: MediaStreamTrack,
  ) {}

  static async create(assets: RnnoiseAssets = RNNOISE_ASSETS): Promise<NoiseSuppressor> {
    const context = new AudioContext({ sampleRate: SAMPLE_RATE, latencyHint: 'interactive' });
    try {
      const node = await createRnnoiseNode(context, assets);
      const destination = context.createMediaStreamDestination();
      node.connect(destination);
      const suppressor = new NoiseSuppressor(context, node, destination.stream.getAudioTracks()[0]);
      suppressor.start();
      return suppressor;
    } catch (error) {
      void context.close();
      throw error;
    }
  }

  // A context made before the visitor touched the page (the prejoin's preview, a join without
  // prejoin) waits for a gesture where the browser blocks autoplay: the first one starts it.
  private start(): void {
    const resume = (): void => {
      this.context.resume().then(stop, () => undefined);
    };
    const stop = (): void => {
      for (const type of GESTURES) removeEventListener(type, resume, true);
    };
    for (const type of GESTURES) addEventListener(type, resume, true);
    this.stopWaiting = stop;
    resume();
  }

  /** Denoises `microphone` from now on (the one before is let go); returns `output`. */
  process(microphone: MediaStreamTrack): MediaStreamTrack {
    this.source?.disconnect();
    this.source = this.context.createMediaStreamSource(new MediaStream([microphone]));
    this.source.connect(this.node);
    return this.output;
  }

  /** Whether the context is closed (`close()` finished). */
  get isClosed(): boolean {
    return this.context.state === 'closed';
  }

  /** Stops the output and closes the context (the worklet frees RNNoise's memory first). */
  close(): void {
    if (this.isClosing) return;
    this.isClosing = true;
    this.stopWaiting();
    this.source?.disconnect();
    this.node.port.postMessage('stop');
    this.node.disconnect();
    this.output.stop();
    this.context.close().catch(() => undefined);
  }
}
