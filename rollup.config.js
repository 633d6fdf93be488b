import { fileURLToPath } from 'node:url';
import {
  bundleGraph,
  esbuildTargets,
  inputSourceMaps,
  lowerSyntax,
  mangleInternals,
  minifyTemplates,
  precompress,
  trimPeerJs,
} from './build/plugins.js';
import { workerAssets } from './build/worker-assets.js';
import { commonjs, nodeResolve as resolve, terser, typescript } from './build/rollup-plugins.js';

const here = (/** @type {string} */ path) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Modules the bundle replaces: nothing may patch the host page, and only `raw` is spoken.
 * @type {Record<string, string>}
 */
const REPLACED = {
  // PeerJS reads only `browserDetails` from webrtc-adapter, for a detector the build then drops
  // (see trimPeerJs): webrtc-adapter itself, which patches the page, must never load.
  'webrtc-adapter': here('./src/transport/browser-details.ts'),
  'peerjs-js-binarypack': here('./build/no-binarypack.js'),
};

/** @type {import('rollup').Plugin} */
const replaceModules = {
  name: 'replace-modules',
  resolveId: (source) => REPLACED[source] ?? null,
};

// The script-tag build: rtc-room.js (the element, the lobby and the prejoin, Lit inside) and,
// beside it in chunks/, what loads by relative import(): on prejoin or join the call (room
// session, media, chat model, the room's view, PeerJS with the transport); on demand the chat
// panel, the emoji list, the Chinese strings and the picture transfers. Hashed chunk
// names let the server cache them for a year; rtc-room.js keeps its name and a short cache.
/**
 * Groups what a join loads into a few chunks: helpers shared by the lazy chunks go with them
 * instead of into tiny files of their own. Modules the first file imports are never moved.
 * @param {Record<string, RegExp>} groups
 * @returns {import('rollup').GetManualChunk}
 */
function lazyChunks(groups) {
  /** @type {Set<string> | undefined} */
  let firstFile;
  return (id, { getModuleIds, getModuleInfo }) => {
    if (!firstFile) {
      firstFile = new Set();
      const pending = [...getModuleIds()].filter((moduleId) => getModuleInfo(moduleId)?.isEntry);
      let next;
      while ((next = pending.pop()) !== undefined) {
        if (firstFile.has(next)) continue;
        firstFile.add(next);
        pending.push(...(getModuleInfo(next)?.importedIds ?? []));
      }
    }
    if (firstFile.has(id)) return 'rtc-room';
    return Object.keys(groups).find((name) => groups[name].test(id.replace(/\\/g, '/')));
  };
}

/** @type {import('rollup').RollupOptions} */
export default {
  input: { 'rtc-room': 'src/index.ts' },
  // The chunks import Lit and shared helpers from rtc-room.js itself, not from a copy of it.
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // The RNNoise worklet and wasm, and the background worker: hashed beside the chunks.
    assetFileNames: 'chunks/[name]-[hash][extname]',
    manualChunks: lazyChunks({
      // Loaded on demand, not by every join: see ON_DEMAND in build/size-report.js.
      // Lit's `live` directive too: only the chat panel's draft uses it; and the link finder,
      // which only the panel's message lines use.
      'chat-panel':
        /\/src\/ui\/(chat-panel|chat-panel\.styles|chat-panel\.strings|emoji)\.ts$|\/src\/chat\/links\.ts$|\/node_modules\/lit(-html)?\/(development\/)?directives\/live\.js$/,
      emoji: /\/src\/ui\/emoji-list\.ts$/,
      'zh-CN': /\/src\/i18n\/zh-cn\.ts$/,
      // The English error texts: loaded before the first error shows.
      'errors-en': /\/src\/i18n\/errors-en\.ts$/,
      // The lobby: only a visitor who comes without a room ID sees it.
      lobby: /\/src\/(controllers\/lobby-controller|ui\/lobby)\.ts$/,
      // A host's controls, and the door's panels (waiting, removed): few visitors see them.
      host: /\/src\/ui\/host-view\.ts$/,
      door: /\/src\/ui\/door-view\.ts$/,
      // The route through Janus: only a room that grew large loads it.
      sfu: /\/src\/sfu\//,
      // Strong noise suppression: only a visitor who turns it on loads it.
      noise: /\/src\/media\/noise\//,
      // The background effect: only a visitor who picks a blur or a picture loads it.
      background: /\/src\/media\/background\//,
      // What crosses the data channel in binary chunks (pictures and files): loaded when a
      // visitor first sends a picture or a file or a peer first announces one.
      transfers:
        /\/src\/chat\/(transfers|picture-transfer|image-sniff|file-transfer|sha256)\.ts$|\/src\/protocol\/file-messages\.ts$/,
      // One chunk for everything else a join loads: the call, the room's view and PeerJS arrive
      // together anyway, and one file compresses ~1 KiB smaller than three.
      call: /\/src\/(room|media|chat|protocol|util|ui|transport)\/|\/node_modules\/(lit|@lit|peerjs|eventemitter3)/,
    }),
    sourcemap: true,
    // Source maps hold every original source, PeerJS's TypeScript included.
    sourcemapExcludeSources: false,
  },
  onwarn(warning, warn) {
    // Dependencies' transpiled helpers use top-level `this`; harmless in an ES module.
    if (warning.code === 'THIS_IS_UNDEFINED' && warning.id?.includes('node_modules')) return;
    warn(warning);
  },
  plugins: [
    replaceModules,
    inputSourceMaps(),
    trimPeerJs(),
    resolve({ browser: true }),
    commonjs(),
    typescript({
      tsconfig: './tsconfig.json',
      declaration: false,
      declarationMap: false,
      outDir: 'dist',
      // Maps that carry every source's text, so a bundle map names none without its text.
      inlineSources: true,
      noEmitOnError: true,
    }),
    workerAssets(esbuildTargets()),
    minifyTemplates(),
    lowerSyntax(esbuildTargets()),
    terser({
      format: { comments: false },
      compress: { passes: 3, pure_getters: true },
      ecma: 2020,
      module: true,
    }),
    mangleInternals(),
    bundleGraph('bundle-graph.json'),
    precompress(),
  ],
};
