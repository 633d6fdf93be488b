// The files two chunks load beside themselves: strong noise suppression's RNNoise worklet and
// wasm, and the background effect's worker. A worklet or worker is compiled from its TypeScript
// alone, since it loads as a file of its own (the worklet as a module, the worker as a classic
// script). In the script-tag build they are hashed assets in chunks/, their URLs written into the
// chunk; in the npm package they sit beside the compiled module (`writeLibAssets`), where a
// bundler finds them by their `new URL(…, import.meta.url)`.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const here = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));

export const WORKLET_SOURCE = here('../src/media/noise/rnnoise-worklet.ts');
export const RNNOISE_WASM = here('../node_modules/@jitsi/rnnoise-wasm/dist/rnnoise.wasm');
export const BACKGROUND_WORKER_SOURCE = here('../src/media/background/background-worker.ts');

/**
 * One file a loader names: compiled from TypeScript (`format` as esbuild takes it), or copied.
 * @typedef {{ name: string, compile?: { source: string, format: 'esm' | 'iife' }, copy?: string }} Asset
 */

/**
 * The modules that name files, and the files, by the name each `new URL('./name', …)` gives.
 * @type {{ loader: RegExp, lib: string, assets: Asset[] }[]}
 */
const LOADERS = [
  {
    loader: /\/src\/media\/noise\/noise-suppressor\.ts$/,
    lib: here('../dist/lib/media/noise/'),
    assets: [
      { name: 'rnnoise-worklet.js', compile: { source: WORKLET_SOURCE, format: 'esm' } },
      { name: 'rnnoise.wasm', copy: RNNOISE_WASM },
    ],
  },
  {
    loader: /\/src\/media\/background\/background-effect\.ts$/,
    lib: here('../dist/lib/media/background/'),
    assets: [
      {
        name: 'background-worker.js',
        compile: { source: BACKGROUND_WORKER_SOURCE, format: 'iife' },
      },
    ],
  },
];

/**
 * An asset's bytes, minified for `targets` when compiled.
 * @param {Asset} asset
 * @param {string[]} [targets]
 */
async function contentOf(asset, targets) {
  if (asset.copy) return readFileSync(asset.copy);
  if (!asset.compile) throw new Error(`${asset.name} is neither compiled nor copied`);
  const { code } = await transform(readFileSync(asset.compile.source, 'utf8'), {
    loader: 'ts',
    format: asset.compile.format,
    minify: Boolean(targets),
    target: targets,
  });
  return code;
}

/** @param {string} name */
const escaped = (name) => name.replace(/[.]/g, '\\.');

/**
 * Emits each loader's files as assets and points its URLs at them. Fails the build when a
 * loader no longer names a file as expected.
 * @param {string[]} targets
 * @returns {import('rollup').Plugin}
 */
export function workerAssets(targets) {
  return {
    name: 'worker-assets',
    async transform(code, id) {
      const entry = LOADERS.find(({ loader }) => loader.test(id));
      if (!entry) return null;
      const { default: MagicString } = await import('magic-string');
      const text = new MagicString(code);
      for (const asset of entry.assets) {
        const pattern = new RegExp(
          `new URL\\((['"])\\./${escaped(asset.name)}\\1, import\\.meta\\.url\\)`,
        );
        const match = pattern.exec(code);
        if (!match) this.error(`${id} no longer names ${asset.name} as the build expects`);
        const reference = this.emitFile({
          type: 'asset',
          name: asset.name,
          source: await contentOf(asset, targets),
        });
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

/**
 * Writes the files beside the npm package's loaders: the wasm as it is, and the worker as the
 * classic script it must be (tsc wrote it as a module).
 */
export async function writeLibAssets() {
  for (const { lib, assets } of LOADERS) {
    mkdirSync(lib, { recursive: true });
    for (const asset of assets) {
      if (asset.copy) copyFileSync(asset.copy, lib + asset.name);
      else if (asset.compile?.format === 'iife') {
        writeFileSync(lib + asset.name, await contentOf(asset));
      }
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeLibAssets();
