// The files `noise-suppression="strong"` loads besides its chunk: the RNNoise worklet (compiled
// from its TypeScript alone, since addModule() loads it as a file of its own) and RNNoise's wasm.
// In the script-tag build they are hashed assets in chunks/, their URLs written into the chunk; in
// the npm package they sit beside the compiled module (`copyNoiseWasm`), where a bundler finds them
// by their `new URL(…, import.meta.url)`.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const here = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));

export const WORKLET_SOURCE = here('../src/media/noise/rnnoise-worklet.ts');
export const RNNOISE_WASM = here('../node_modules/@jitsi/rnnoise-wasm/dist/rnnoise.wasm');
/** Where the npm package's loader expects the wasm: beside dist/lib/media/noise/noise-suppressor.js. */
const LIB_WASM = here('../dist/lib/media/noise/rnnoise.wasm');

/** The module that names both files, and how it names them. */
const LOADER = /\/src\/media\/noise\/noise-suppressor\.ts$/;
const ASSET_URLS = {
  worklet: /new URL\((['"])\.\/rnnoise-worklet\.js\1, import\.meta\.url\)/,
  wasm: /new URL\((['"])\.\/rnnoise\.wasm\1, import\.meta\.url\)/,
};

/**
 * Emits the worklet (minified for `targets`) and the wasm as assets, and points the loader's two
 * URLs at them. Fails the build when the loader no longer names them as expected.
 * @param {string[]} targets
 * @returns {import('rollup').Plugin}
 */
export function noiseAssets(targets) {
  return {
    name: 'noise-assets',
    async transform(code, id) {
      if (!LOADER.test(id)) return null;
      const worklet = await transform(readFileSync(WORKLET_SOURCE, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        minify: true,
        target: targets,
      });
      const references = {
        worklet: this.emitFile({ type: 'asset', name: 'rnnoise-worklet.js', source: worklet.code }),
        wasm: this.emitFile({
          type: 'asset',
          name: 'rnnoise.wasm',
          source: readFileSync(RNNOISE_WASM),
        }),
      };
      const { default: MagicString } = await import('magic-string');
      const text = new MagicString(code);
      for (const [key, pattern] of Object.entries(ASSET_URLS)) {
        const match = pattern.exec(code);
        if (!match) this.error(`${id} no longer names its ${key} as the build expects`);
        const reference = references[/** @type {keyof typeof references} */ (key)];
        text.overwrite(
          match.index,
          match.index + match[0].length,
          `new URL(import.meta.ROLLUP_FILE_URL_${reference})`,
        );
      }
      return { code: text.toString(), map: text.generateMap({ hires: true }) };
    },
  };
}

/** Copies RNNoise's wasm beside the npm package's noise module. */
export function copyNoiseWasm() {
  mkdirSync(dirname(LIB_WASM), { recursive: true });
  copyFileSync(RNNOISE_WASM, LIB_WASM);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) copyNoiseWasm();
