// The size budget: what a page that embeds the widget downloads (rtc-room.js), and what a visitor
// has downloaded once joined (rtc-room.js and every chunk it loads), gzipped and brotli'd.
// `npm run size` prints it; test/build/size.test.js holds the build to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const KIB = 1024;

/** rtc-room.js, gzipped: the issue's budget for every page that embeds the element. */
export const FIRST_FILE_BUDGET = 20 * KIB;

/** rtc-room.js and everything a join loads, gzipped: the issue's budget, which may only go down. */
export const TOTAL_BUDGET = 50 * KIB;

/**
 * Chunks (by their name in rollup.config.js) that a join does not load: each waits for the one
 * visitor who needs it, and is reported on its own.
 * @type {Record<string, string>}
 */
export const ON_DEMAND = {
  'chat-panel': 'when the visitor first opens the chat',
  emoji: 'when the emoji picker first opens',
  'zh-CN': 'for a visitor whose language is Chinese',
  'errors-en': 'before the first error text shows (English)',
  lobby: 'when the element shows the lobby (no room ID)',
  host: 'once the visitor is a host of the room',
  door: 'when the visitor waits at a locked room or was removed',
  sfu: 'when the room grows large enough to move to the media server (Janus)',
  noise: 'when the visitor turns on strong noise suppression',
  background: 'when the visitor picks a blurred or replaced background',
  transfers: 'when a picture or file is first sent or announced',
};

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

/** @param {Buffer} body */
function sizes(body) {
  return {
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
    }).length,
  };
}

/**
 * Each file of the script-tag build with its sizes, and the sums a budget looks at.
 * @param {string} [distDir]
 */
export function measureBundle(distDir = DIST) {
  /** @type {{ chunks: Record<string, import('./plugins.js').BundleChunk> }} */
  const { chunks } = JSON.parse(readFileSync(join(distDir, 'bundle-graph.json'), 'utf8'));
  const entry = Object.keys(chunks).find((name) => chunks[name].isEntry);
  if (!entry) throw new Error('bundle-graph.json names no entry chunk');
  // Everything reachable from the entry by import or import(), on-demand chunks aside: what a
  // join fetches.
  const reachable = (/** @type {boolean} */ skipOnDemand) => {
    /** @type {Set<string>} */
    const loaded = new Set();
    const pending = [entry];
    let name;
    while ((name = pending.pop()) !== undefined) {
      if (loaded.has(name) || (skipOnDemand && chunks[name].name in ON_DEMAND)) continue;
      loaded.add(name);
      pending.push(...chunks[name].imports, ...chunks[name].dynamicImports);
    }
    return loaded;
  };
  const joined = reachable(true);
  const files = [...reachable(false)].map((name) => ({
    name,
    isEntry: name === entry,
    /** Why this chunk loads, when a join does not load it. */
    onDemand: joined.has(name) ? null : (ON_DEMAND[chunks[name].name] ?? 'on demand'),
    imports: chunks[name].imports,
    /** The assets it fetches by URL (the RNNoise worklet and wasm). */
    referencedFiles: chunks[name].referencedFiles ?? [],
    ...sizes(readFileSync(join(distDir, name))),
  }));
  /** @typedef {(typeof files)[number]} MeasuredFile */
  /**
   * @param {MeasuredFile[]} list
   * @param {'raw' | 'gzip' | 'brotli'} key
   */
  const sum = (list, key) => list.reduce((total, file) => total + file[key], 0);
  const atJoin = files.filter((file) => !file.onDemand);
  const total = (/** @type {MeasuredFile[]} */ list) => ({
    raw: sum(list, 'raw'),
    gzip: sum(list, 'gzip'),
    brotli: sum(list, 'brotli'),
  });
  return {
    /** Files the chunks fetch by URL, not by import: loaded with their chunk, on demand. */
    assets: files.flatMap((file) => file.referencedFiles),
    // The walk starts at the entry, so it is among the files.
    entry: /** @type {MeasuredFile} */ (files.find((file) => file.isEntry)),
    files,
    total: total(atJoin),
    /** With every on-demand chunk too (a Chinese visitor who opens the emoji picker). */
    everything: total(files),
  };
}

const kib = (/** @type {number} */ bytes) => `${(bytes / KIB).toFixed(1)} KiB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, total, everything, entry } = measureBundle();
  /** @typedef {[string, number, number, number, (string | null)?]} Row */
  /** @type {Row[]} */
  const rows = [
    ...files
      .filter((f) => !f.onDemand)
      .map(/** @returns {Row} */ (f) => [f.name, f.raw, f.gzip, f.brotli]),
    ['total after a join', total.raw, total.gzip, total.brotli],
    ...files
      .filter((f) => f.onDemand)
      .flatMap((f) => [
        /** @type {Row} */ ([f.name, f.raw, f.gzip, f.brotli, f.onDemand]),
        ...f.referencedFiles.map((name) => {
          const { raw, gzip, brotli } = sizes(readFileSync(join(DIST, name)));
          return /** @type {Row} */ ([name, raw, gzip, brotli, `fetched by ${f.name}`]);
        }),
      ]),
    ['everything, on-demand chunks too', everything.raw, everything.gzip, everything.brotli],
  ];
  console.log(
    `${'file'.padEnd(40)} ${'minified'.padStart(11)} ${'gzip'.padStart(11)} ${'brotli'.padStart(11)}`,
  );
  for (const [name, raw, gzip, brotli, note] of rows) {
    console.log(
      `${name.padEnd(40)} ${kib(raw).padStart(11)} ${kib(gzip).padStart(11)} ${kib(brotli).padStart(11)}${note ? `  (${note})` : ''}`,
    );
  }
  console.log(
    `budget: first file ${kib(entry.gzip)} of ${kib(FIRST_FILE_BUDGET)} gzip, total ${kib(total.gzip)} of ${kib(TOTAL_BUDGET)} gzip`,
  );
}
