// The AudioWorklet that runs RNNoise (@jitsi/rnnoise-wasm) on the microphone. It is loaded by
// `audioWorklet.addModule()` as a file of its own, so it imports nothing: the wasm's two imports
// are written here instead of its emscripten glue, which reaches for `document` and `fetch`.

/** RNNoise's frame: 10 ms at 48 kHz. */
export const FRAME = 480;
/**
 * Output waits this long so that a frame is always complete in time: with Web Audio's 128-sample
 * quanta against 480-sample frames, at most 448 samples of a frame are still waiting when a
 * quantum's output is due.
 */
export const BUFFER_DELAY = 448;
/** RNNoise works on 16-bit sample values held in floats. */
const SCALE = 32768;

/** The wasm's exports, as emscripten minified their names (see its glue, dist/rnnoise.js). */
interface RnnoiseExports {
  /** memory */
  c: WebAssembly.Memory;
  /** __wasm_call_ctors */
  d: () => void;
  /** rnnoise_create(model): a state */
  f: (model: number) => number;
  /** malloc */
  g: (bytes: number) => number;
  /** rnnoise_destroy(state) */
  h: (state: number) => void;
  /** free */
  i: (pointer: number) => void;
  /** rnnoise_process_frame(state, out, in): the probability of voice */
  j: (state: number, output: number, input: number) => number;
}

/**
 * RNNoise on a stream of 128-sample blocks: buffers them into its 480-sample frames and hands
 * back each block `BUFFER_DELAY` samples late. Plain logic over arrays, testable outside a worklet.
 */
export class RnnoiseStream {
  private readonly wasm: RnnoiseExports;
  private readonly state: number;
  private readonly input: number;
  private readonly output: number;
  /** Samples not yet in a frame. */
  private readonly pending = new Float32Array(FRAME);
  private pendingLength = 0;
  /** Denoised samples not yet handed back: a ring, primed with BUFFER_DELAY samples of silence. */
  private readonly ready = new Float32Array(FRAME * 2);
  private readAt = 0;
  private readyLength = BUFFER_DELAY;

  constructor(module: WebAssembly.Module) {
    // The imports run only once the instance exists, and read its memory then.
    const memory = (): WebAssembly.Memory => this.wasm.c;
    const imports = {
      a: {
        // emscripten_resize_heap: grow to at least `size` bytes; 1 when it could.
        a: (size: number) => {
          try {
            memory().grow(Math.ceil((size - memory().buffer.byteLength) / 65536));
            return 1;
          } catch {
            return 0;
          }
        },
        // emscripten_memcpy_big
        b: (to: number, from: number, length: number) => {
          new Uint8Array(memory().buffer).copyWithin(to, from, from + length);
        },
      },
    };
    const wasm = new WebAssembly.Instance(module, imports).exports as unknown as RnnoiseExports;
    this.wasm = wasm;
    wasm.d();
    this.state = wasm.f(0);
    this.input = wasm.g(FRAME * 4);
    this.output = wasm.g(FRAME * 4);
  }

  /** Takes one block of input (silence when `input` is missing) and fills `output` with one. */
  process(input: Float32Array | undefined, output: Float32Array): void {
    const length = output.length;
    for (let i = 0; i < length; i++) {
      this.pending[this.pendingLength++] = input ? input[i] : 0;
      if (this.pendingLength === FRAME) this.denoise();
    }
    const ready = this.ready;
    for (let i = 0; i < length; i++) {
      output[i] = ready[this.readAt];
      this.readAt = (this.readAt + 1) % ready.length;
    }
    this.readyLength -= length;
  }

  /** Frees the wasm's memory for this stream. */
  destroy(): void {
    this.wasm.h(this.state);
    this.wasm.i(this.input);
    this.wasm.i(this.output);
  }

  private denoise(): void {
    const { wasm } = this;
    // Views are made afresh: a grown memory detaches the old buffer.
    const heap = new Float32Array(wasm.c.buffer);
    const input = this.input >> 2;
    for (let i = 0; i < FRAME; i++) heap[input + i] = this.pending[i] * SCALE;
    wasm.j(this.state, this.output, this.input);
    const output = new Float32Array(wasm.c.buffer, this.output, FRAME);
    const ready = this.ready;
    let writeAt = (this.readAt + this.readyLength) % ready.length;
    for (let i = 0; i < FRAME; i++) {
      ready[writeAt] = output[i] / SCALE;
      writeAt = (writeAt + 1) % ready.length;
    }
    this.readyLength += FRAME;
    this.pendingLength = 0;
  }
}

// The worklet scope's names, which TypeScript's DOM library does not describe.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor,
): void;

/** What the node is made with: the compiled wasm, or its bytes where a module cannot be sent. */
export interface RnnoiseProcessorOptions {
  wasm: WebAssembly.Module | ArrayBuffer;
}

/** The processor's name, for `new AudioWorkletNode(context, RNNOISE_PROCESSOR)`. */
export const RNNOISE_PROCESSOR = 'rtc-room-rnnoise';

if (typeof registerProcessor === 'function') {
  registerProcessor(
    RNNOISE_PROCESSOR,
    class extends AudioWorkletProcessor {
      private stream: RnnoiseStream | null;

      constructor(options: AudioWorkletNodeOptions) {
        super();
        const { wasm } = options.processorOptions as RnnoiseProcessorOptions;
        this.stream = new RnnoiseStream(
          wasm instanceof WebAssembly.Module ? wasm : new WebAssembly.Module(wasm),
        );
        // Any message is "stop": the node's context is closing, the wasm's memory goes with it.
        this.port.onmessage = () => {
          this.stream?.destroy();
          this.stream = null;
        };
      }

      process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
        const output = outputs[0]?.[0];
        if (!this.stream || !output) return this.stream !== null;
        this.stream.process(inputs[0]?.[0], output);
        // A second output channel, if the graph asked for one, hears the same.
        for (const channel of outputs[0].slice(1)) channel.set(output);
        return true;
      }
    },
  );
}
