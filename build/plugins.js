// Rollup plugins for the script-tag build: syntax lowered to the browserslist in package.json,
// dependencies' own source maps carried through, a graph of the chunks for the size budget, and
// brotli and gzip copies of every file, with a manifest of their hashes, for the server to send
// as they are.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import browserslist from 'browserslist';
import { transform } from 'esbuild';
import { digestOf, ENCODINGS, PRECOMPRESSED_MANIFEST } from '../server/static-files.js';

/** @typedef {import('../server/static-files.js').PrecompressedManifest} PrecompressedManifest */

/**
 * browserslist's names for the browsers esbuild can target.
 * @type {Record<string, string | undefined>}
 */
const ESBUILD_NAMES = {
  chrome: 'chrome',
  and_chr: 'chrome',
  edge: 'edge',
  firefox: 'firefox',
  and_ff: 'firefox',
  safari: 'safari',
  ios_saf: 'ios',
  opera: 'opera',
};

/**
 * esbuild targets (`chrome111`, `ios16.4`, …): the oldest version of each browser family in the
 * package's browserslist.
 * @param {string} [cwd]
 * @returns {string[]}
 */
export function esbuildTargets(cwd = process.cwd()) {
  /** @type {Map<string, string>} */
  const oldest = new Map();
  for (const entry of browserslist(undefined, { path: cwd })) {
    const [name, versions] = entry.split(' ');
    const family = ESBUILD_NAMES[name];
    if (!family) throw new Error(`browserslist names ${entry}, which the build cannot target`);
    const version = versions.split('-')[0];
    const known = oldest.get(family);
    if (!known || compareVersions(version, known) < 0) oldest.set(family, version);
  }
  return [...oldest].map(([family, version]) => `${family}${version}`).sort();
}

/**
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference) return difference;
  }
  return 0;
}

/**
 * Lowers each chunk's syntax to what every browser of `targets` parses (esbuild fails the build
 * when that is impossible).
 * @param {string[]} targets
 * @returns {import('rollup').Plugin}
 */
export function lowerSyntax(targets) {
  return {
    name: 'lower-syntax',
    async renderChunk(code, chunk) {
      const result = await transform(code, {
        target: targets,
        format: 'esm',
        sourcemap: true,
        sourcefile: chunk.fileName,
      });
      return { code: result.code, map: result.map };
    },
  };
}

/**
 * Loads dependencies with the source maps they ship, so the bundle's maps reach their original
 * sources (PeerJS's TypeScript) instead of stopping at their compiled files.
 * @returns {import('rollup').Plugin}
 */
export function inputSourceMaps() {
  return {
    name: 'input-source-maps',
    async load(id) {
      if (!id.includes('/node_modules/') || !/\.[cm]?js$/.test(id)) return null;
      const code = await readFile(id, 'utf8');
      const reference = /\/\/# sourceMappingURL=([^\s'"]+)\s*$/.exec(code);
      if (!reference || reference[1].startsWith('data:')) return null;
      const mapPath = join(dirname(id), reference[1]);
      if (!existsSync(mapPath)) return null;
      const map = /** @type {import('rollup').ExistingRawSourceMap} */ (
        JSON.parse(readFileSync(mapPath, 'utf8'))
      );
      // Only maps that carry their sources can be followed; otherwise keep the compiled file.
      if (!map.sourcesContent?.every((content) => typeof content === 'string')) return null;
      return { code: code.slice(0, reference.index), map };
    },
  };
}

/**
 * One chunk of bundle-graph.json, under its file name.
 * @typedef {{
 *   name: string,
 *   isEntry: boolean,
 *   imports: string[],
 *   dynamicImports: string[],
 *   referencedFiles: string[],
 *   modules: Record<string, number>,
 * }} BundleChunk
 */

/**
 * Writes `fileName` beside the bundle: each chunk with the chunks it imports, those it loads
 * with import() and the assets it fetches, so the size budget knows what a join downloads.
 * @param {string} fileName
 * @returns {import('rollup').Plugin}
 */
export function bundleGraph(fileName) {
  return {
    name: 'bundle-graph',
    generateBundle(_options, bundle) {
      /** @type {Record<string, BundleChunk>} */
      const chunks = {};
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        chunks[output.fileName] = {
          name: output.name,
          isEntry: output.isEntry,
          imports: output.imports,
          dynamicImports: output.dynamicImports,
          // Assets it loads by URL (the RNNoise worklet and wasm).
          referencedFiles: output.referencedFiles,
          // Minified later: these lengths only rank what a chunk is made of.
          modules: Object.fromEntries(
            Object.entries(output.modules)
              .map(
                /** @returns {[string, number]} */ ([id, module]) => [
                  relative(process.cwd(), id.replace(/^\0/, '')),
                  module.renderedLength,
                ],
              )
              .sort((x, y) => y[1] - x[1]),
          ),
        };
      }
      this.emitFile({
        type: 'asset',
        fileName,
        source: `${JSON.stringify({ chunks }, null, 2)}\n`,
      });
    },
  };
}

/**
 * Writes `<file>.br` and `<file>.gz` beside each of `names` (`/`-separated paths inside `dir`),
 * then the manifest that vouches for them: the server trusts a copy only while the file and the
 * copy are the bytes listed there, whatever their times (npm extracts a package in its own order).
 * @param {string} dir
 * @param {string[]} names
 */
export async function writePrecompressed(dir, names) {
  /** @type {PrecompressedManifest} */
  const manifest = {};
  for (const name of [...names].sort()) {
    const path = join(dir, name);
    const body = await readFile(path);
    /** @type {Record<string, Buffer>} */
    const copies = {
      br: brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gzip: gzipSync(body, { level: 9 }),
    };
    /** @type {Record<string, string>} */
    const entry = { identity: digestOf(body) };
    for (const { name: encoding, suffix } of ENCODINGS) {
      await writeFile(path + suffix, copies[encoding]);
      entry[encoding] = digestOf(copies[encoding]);
    }
    manifest[name] = entry;
  }
  await writeFile(join(dir, PRECOMPRESSED_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Writes brotli and gzip copies of every JavaScript file, source map and wasm, and their manifest.
 * @returns {import('rollup').Plugin}
 */
export function precompress() {
  return {
    name: 'precompress',
    async writeBundle(options, bundle) {
      const names = Object.keys(bundle).filter((name) => /\.(js|map|wasm)$/.test(name));
      // The build's output options always name a dir.
      await writePrecompressed(/** @type {string} */ (options.dir), names);
    },
  };
}

/** Static CSS text: comments out, whitespace collapsed, none around braces, semicolons and
 * child combinators, nor after commas and colons (a selector never has a space after a colon).
 * @param {string} text
 * @returns {string}
 */
export function minifyCssText(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};>])\s*/g, '$1')
    .replace(/([,:])\s+/g, '$1')
    .replace(/;}/g, '}');
}

/**
 * Static HTML text: a run of whitespace that spans lines becomes one newline. Browsers render
 * both alike wherever whitespace collapses (everywhere in our templates: text shown as typed sits
 * in expressions, not in the template).
 * @param {string} text
 * @returns {string}
 */
export function minifyHtmlText(text) {
  return text.replace(/[ \t]*\n\s*/g, '\n');
}

/** @type {Record<string, ((text: string) => string) | undefined>} */
const TEMPLATE_MINIFIERS = { css: minifyCssText, html: minifyHtmlText };

/**
 * A tagged template whose tag is a plain name, with its quasis' offsets in the code.
 * @typedef {import('estree').TaggedTemplateExpression & {
 *   tag: import('estree').Identifier,
 *   quasi: { quasis: (import('estree').TemplateElement & { start: number, end: number })[] },
 * }} NamedTaggedTemplate
 */

/**
 * @param {import('estree').Node} node
 * @returns {Generator<NamedTaggedTemplate>}
 */
function* taggedTemplates(node) {
  if (!node || typeof node.type !== 'string') return;
  if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier') {
    yield /** @type {NamedTaggedTemplate} */ (node);
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) yield* taggedTemplates(child);
    else if (value && typeof value === 'object' && typeof value.type === 'string') {
      yield* taggedTemplates(value);
    }
  }
}

/**
 * Minifies the static text of Lit's `css` and `html` tagged templates in our own sources.
 * @returns {import('rollup').Plugin}
 */
export function minifyTemplates() {
  return {
    name: 'minify-templates',
    async transform(code, id) {
      if (id.includes('/node_modules/') || !/\/src\/.*\.ts$/.test(id)) return null;
      if (!/\b(css|html) ?`/.test(code)) return null;
      const { default: MagicString } = await import('magic-string');
      const text = new MagicString(code);
      for (const node of taggedTemplates(this.parse(code))) {
        const minify = TEMPLATE_MINIFIERS[node.tag.name];
        if (!minify) continue;
        for (const quasi of node.quasi.quasis) {
          const raw = quasi.value.raw;
          const minified = minify(raw);
          if (minified !== raw && quasi.end > quasi.start) {
            text.overwrite(quasi.start, quasi.end, minified);
          }
        }
      }
      return { code: text.toString(), map: text.generateMap({ hires: true }) };
    },
  };
}

/** PeerJS 1.5.5's logger, as its bundled module names it. */
const PEERJS_LOGGER = '(0, $257947e92926277a$export$2e2bcd8739ae039)';
/** Where its Peer lists its data connection classes, and where it makes one for an offer. */
const PEERJS_SERIALIZERS = /this\._serializers = \{\n\s+raw: [^}]+\}/;
const PEERJS_DATA_OFFER = 'payload.type === (0, $78455e22dea96b8c$export$3157d57b4135e3bc).Data';
/** Its HTTP API (an ID from the server, the list of all peers) and its data `connect()`. */
const PEERJS_API = 'new (0, $abf266641927cd89$export$2c4e825dc9120f87)(options)';
const PEERJS_CONNECT = /connect\(peer, options = \{\}\) \{[\s\S]*?return dataConnection;\n {4}\}/;
const PEERJS_DATA_STATICS = [
  ['static #_ = this.ID_PREFIX = "dc_";', 'static ID_PREFIX = "dc_";'],
  ['static #_2 = this.MAX_BUFFERED_AMOUNT = 8388608;', 'static MAX_BUFFERED_AMOUNT = 8388608;'],
];

/**
 * Its browser detector (name, version, iOS, supported versions), read only to fill `util.browser`
 * and `util.browserVersion`, which nothing reads: it goes, and webrtc-adapter's stand-in with it.
 */
const PEERJS_DETECTOR_START = 'const $fb63e766cfafaab9$export$25be9502477c137d = new class {';
const PEERJS_DETECTOR_END = 'this.minSafariVersion = 605;\n    }\n}();';

/**
 * Its `util`: a class (a BinaryPack chunker with helpers) whose instance, made when the module
 * loads, builds an RTCPeerConnection with PeerJS's public STUN and TURN servers to detect
 * features. PeerJS reads eight of its fields; a plain object with those stands in. The default
 * configuration, with those public servers, is never used: the transport always gives its own.
 */
const PEERJS_UTIL_START = 'const $4f4134156c446392$var$DEFAULT_CONFIG = {';
const PEERJS_UTIL_END =
  'const $4f4134156c446392$export$7debb50ef11d5e0b = new $4f4134156c446392$export$f8f26dd395d7e1bd();';
const PEERJS_UTIL = `const $4f4134156c446392$export$7debb50ef11d5e0b = {
  CLOUD_HOST: '0.peerjs.com',
  CLOUD_PORT: 443,
  chunkedMTU: 16300,
  defaultConfig: {},
  isSecure: () => location.protocol === 'https:',
  supports: (() => {
    const webRTC = typeof RTCPeerConnection !== 'undefined';
    return { browser: webRTC, webRTC, audioVideo: webRTC, data: webRTC, binaryBlob: false, reliable: webRTC };
  })(),
  validateId: $9a84a32bf0bf36bb$export$f35f128fd59ea256,
  randomToken: () => $0e5fd1585784c252$export$4e61f672936bec77(),
};`;
/** Every field of `util` PeerJS reads, each of which the stand-in has. */
const PEERJS_UTIL_FIELDS = /\(0, \$4f4134156c446392\$export\$7debb50ef11d5e0b\)\.(\w+)/g;

/**
 * Its enums, each a function filling an object, read member by member (`(0, $enum).Offer`): the
 * reads become the strings they stand for, and the objects, then unread, go. So does the
 * namespace object PeerJS builds of them for its own entry, which rtc-room never imports.
 */
const PEERJS_ENUM =
  /var (\$78455e22dea96b8c\$export\$\w+) = \/\*#__PURE__\*\/ function\((\w+)\) \{([\s\S]*?)return \2;\n\}\(\{\}\);/g;
const PEERJS_ENUM_MEMBER = /\w+\["(\w+)"\] = ("[^"]*");/g;
const PEERJS_ENUM_NAMESPACE =
  /var \$78455e22dea96b8c\$exports = \{\};\n\n(\$parcel\$export\(\$78455e22dea96b8c\$exports, .*\n)+/;

/**
 * eventemitter3 as PeerJS bundles it, and what stands in for it: the methods PeerJS calls, with
 * the same meaning (listeners run with the emitter as `this`; `once` removes before it runs).
 */
const PEERJS_EMITTER_START = 'var $c4dcfd1d1ea86647$exports = {};';
const PEERJS_EMITTER_END = '$c4dcfd1d1ea86647$exports = $c4dcfd1d1ea86647$var$EventEmitter;';
const PEERJS_EMITTER = `var $c4dcfd1d1ea86647$exports = { EventEmitter: class {
  on(type, fn, once = false) {
    const listeners = (this._events ??= new Map());
    listeners.set(type, [...(listeners.get(type) ?? []), { fn, once }]);
    return this;
  }
  once(type, fn) { return this.on(type, fn, true); }
  emit(type, ...args) {
    const list = this._events?.get(type);
    if (!list?.length) return false;
    for (const { fn, once } of list) {
      if (once) this.removeListener(type, fn);
      fn.apply(this, args);
    }
    return true;
  }
  removeListener(type, fn) {
    const list = this._events?.get(type);
    if (list) this._events.set(type, fn ? list.filter((entry) => entry.fn !== fn) : []);
    return this;
  }
  off(type, fn) { return this.removeListener(type, fn); }
  removeAllListeners(type) {
    if (type === undefined) this._events?.clear();
    else this._events?.delete(type);
    return this;
  }
} };`;

/**
 * Trims PeerJS to what rtc-room uses. Its log calls go: the transport creates every Peer with
 * `debug: 0`, so they never print, and their messages are a sixth of PeerJS's bytes. Its data
 * connections go (our links are calls with a data channel of our own; a plain PeerJS client's
 * data connection is dropped unanswered, as the transport would refuse it anyway), and its
 * bundled eventemitter3 gives way to a small emitter. Fails the build when PeerJS no longer looks as expected (a new version) rather than
 * silently keeping them.
 * @returns {import('rollup').Plugin}
 */
export function trimPeerJs() {
  return {
    name: 'trim-peerjs',
    async transform(code, id) {
      if (!/\/node_modules\/peerjs\/dist\/bundler\.mjs$/.test(id)) return null;
      const { default: MagicString } = await import('magic-string');
      const text = new MagicString(code);
      /**
       * @param {string} search
       * @param {string} replacement
       * @param {RegExp} [follows]
       */
      const replaceAll = (search, replacement, follows = /^/) => {
        let count = 0;
        for (let at = code.indexOf(search); at >= 0; at = code.indexOf(search, at + 1)) {
          if (!follows.test(code.slice(at + search.length))) continue;
          text.overwrite(at, at + search.length, replacement);
          count++;
        }
        return count;
      };
      const logCalls = replaceAll(
        PEERJS_LOGGER,
        '/*#__PURE__*/ $rtcRoomSilent',
        /^\.(log|warn|error)\(/,
      );
      // Its level and log function are set once; with no calls left the Logger class goes too.
      const logSettings = replaceAll(
        PEERJS_LOGGER,
        '$rtcRoomSilent',
        /^\.(logLevel|setLogFunction)\b/,
      );
      const detectorStart = code.indexOf(PEERJS_DETECTOR_START);
      const detectorEnd = code.indexOf(PEERJS_DETECTOR_END, detectorStart);
      if (detectorStart >= 0 && detectorEnd > detectorStart) {
        text.remove(detectorStart, detectorEnd + PEERJS_DETECTOR_END.length);
      }
      const utilStart = code.indexOf(PEERJS_UTIL_START);
      const utilEnd = code.indexOf(PEERJS_UTIL_END, utilStart);
      if (utilStart >= 0 && utilEnd > utilStart) {
        text.overwrite(utilStart, utilEnd + PEERJS_UTIL_END.length, PEERJS_UTIL);
      }
      const utilFields = new Set([...code.matchAll(PEERJS_UTIL_FIELDS)].map((read) => read[1]));
      const unknownUtilFields = [...utilFields].filter(
        (field) => !new RegExp(`\\b${field}:`).test(PEERJS_UTIL),
      );
      let enums = 0;
      let enumReads = 0;
      for (const [, name, , body] of code.matchAll(PEERJS_ENUM)) {
        enums++;
        for (const [, member, value] of body.matchAll(PEERJS_ENUM_MEMBER)) {
          enumReads += replaceAll(`(0, ${name}).${member}`, value, /^(?![\w$])/);
        }
      }
      const enumNamespace = PEERJS_ENUM_NAMESPACE.exec(code);
      if (enumNamespace) {
        text.remove(enumNamespace.index, enumNamespace.index + enumNamespace[0].length);
      }
      // eventemitter3 is a general emitter (contexts, symbols, listener lists) of which PeerJS
      // calls five methods: the stand-in is a quarter of its size.
      const emitterStart = code.indexOf(PEERJS_EMITTER_START);
      const emitterEnd = code.indexOf(PEERJS_EMITTER_END, emitterStart);
      if (emitterStart >= 0 && emitterEnd > emitterStart) {
        text.overwrite(emitterStart, emitterEnd + PEERJS_EMITTER_END.length, PEERJS_EMITTER);
      }
      // Our links are calls carrying a data channel of our own: no data connection class is
      // needed, and a data connection offered by a plain PeerJS client is dropped unanswered.
      const serializers = PEERJS_SERIALIZERS.exec(code);
      if (serializers) {
        const start = serializers.index + 'this._serializers = '.length;
        text.overwrite(start, serializers.index + serializers[0].length, '{}');
      }
      const dataOffers = replaceAll(PEERJS_DATA_OFFER, 'false');
      // The transport always names its peer ID and never asks for the list of every peer, so
      // PeerJS's HTTP API goes; so does `connect()`, which makes data connections.
      const apis = replaceAll(PEERJS_API, 'null');
      const connect = PEERJS_CONNECT.exec(code);
      if (connect) text.overwrite(connect.index, connect.index + connect[0].length, 'connect() {}');
      // Plain static fields, which leave the class free of side effects: unused, it goes.
      const dataStatics = PEERJS_DATA_STATICS.map(([field, plain]) => replaceAll(field, plain));
      if (
        logCalls < 50 ||
        logSettings !== 2 ||
        !serializers ||
        dataOffers !== 1 ||
        apis !== 1 ||
        !connect ||
        dataStatics.join() !== '1,1' ||
        detectorEnd < 0 ||
        utilEnd < 0 ||
        unknownUtilFields.length > 0 ||
        enums !== 7 ||
        enumReads < 40 ||
        !enumNamespace ||
        emitterEnd < 0
      ) {
        this.error(
          `PeerJS is not the 1.5.5 the build trims (${logCalls} logs, ${dataOffers} data offers)`,
        );
      }
      text.prepend(
        'const $rtcRoomSilent = { logLevel: 0, setLogFunction() {}, log() {}, warn() {}, error() {} };\n',
      );
      return { code: text.toString(), map: text.generateMap({ hires: true }) };
    },
  };
}

/**
 * The `private` members of our classes that may be renamed in the bundle: those whose name, in
 * every `.ts` file under `srcDir`, is only ever declared `private` or read as `this.<name>`.
 * A name also used anywhere else (an object's key, a public member of another class, a
 * destructuring, a message field) is kept, so that nothing outside one class can tell.
 * @param {string} srcDir
 * @returns {string[]}
 */
export function renamablePrivates(srcDir) {
  /** @type {string[]} */
  const sources = [];
  const walk = (/** @type {string} */ dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) sources.push(readFileSync(path, 'utf8'));
    }
  };
  walk(srcDir);
  const text = sources.join('\n');
  const declared = new Set(
    [...text.matchAll(/^\s+private (?:(?:readonly|static|async|get|set) )*([A-Za-z_]\w*)/gm)].map(
      (match) => match[1],
    ),
  );
  return [...declared].filter((name) => {
    const uses = [
      ...text.matchAll(new RegExp(`(^\\s+private [\\w ]*)?(this\\.)?\\b${name}\\b`, 'gm')),
    ];
    return uses.every((use) => use[1] !== undefined || use[2] !== undefined);
  });
}

/**
 * Shortens long property names nothing outside a chunk reads: PeerJS's internal `_`-prefixed
 * ones (`_negotiator`, `_socket`, …, only those PeerJS itself spells, never Lit's `_$…` protocol
 * names) and our classes' renamable private members (see `renamablePrivates`). A name that also
 * appears in quotes in the chunk (a decorator's property name, a key read by string) is kept.
 * @returns {import('rollup').Plugin}
 */
export function mangleInternals() {
  /** @type {string[]} */
  let peerJsNames;
  /** @type {string[]} */
  let ownNames;
  return {
    name: 'mangle-internals',
    async buildStart() {
      const source = await readFile(
        new URL('../node_modules/peerjs/dist/bundler.mjs', import.meta.url),
        'utf8',
      );
      peerJsNames = [
        ...new Set(
          [...source.matchAll(/\._([A-Za-z]\w*)|\b_([A-Za-z]\w*)\s*[:(=]/g)].map(
            (match) => `_${match[1] ?? match[2]}`,
          ),
        ),
      ];
      if (peerJsNames.length < 40) {
        this.error(`PeerJS spells only ${peerJsNames.length} internal names`);
      }
      ownNames = renamablePrivates(fileURLToPath(new URL('../src/', import.meta.url)));
    },
    async renderChunk(code, chunk) {
      const hasPeerJs = Object.keys(chunk.modules).some((id) =>
        id.includes('/node_modules/peerjs/'),
      );
      const names = [...(hasPeerJs ? peerJsNames : []), ...ownNames].filter(
        (name) => code.includes(`.${name}`) && !new RegExp(`["'\`]${name}["'\`]`).test(code),
      );
      if (names.length === 0) return null;
      const { minify } = await import('terser');
      const result = await minify(code, {
        module: true,
        ecma: 2020,
        compress: false,
        mangle: { properties: { regex: new RegExp(`^(${names.join('|')})$`) } },
        format: { comments: false },
        sourceMap: true,
      });
      // terser resolves with the code it made, and its map as JSON text.
      return {
        code: /** @type {string} */ (result.code),
        map: /** @type {string} */ (result.map),
      };
    },
  };
}
