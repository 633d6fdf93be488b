// The size budget: what a page that embeds the widget downloads (rtc-room.js), and what a visitor
// has downloaded once joined (rtc-room.js and every chunk it loads), gzipped and brotli'd.
// `npm run size` prints it; test/build/size.test.js holds the build to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const KIB = 1024;

/** rtc-room.js, gzipped: the budget for every page that embeds the element. */
export const FIRST_FILE_BUDGET = 20 * KIB;

/**
 * rtc-room.js and everything a join loads, gzipped. The goal is 50 KiB; features added since it
 * was set (tokens, safety codes, chat convergence, liveness, pins) hold it at this for now, and it
 * may only go down.
 */
export const TOTAL_BUDGET = 54 * KIB;

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

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
  const { chunks } = JSON.parse(readFileSync(join(distDir, 'bundle-graph.json'), 'utf8'));
  const entry = Object.keys(chunks).find((name) => chunks[name].isEntry);
  // Everything reachable from the entry by import or import(): what a join fetches.
  const loaded = new Set();
  const pending = [entry];
  while (pending.length) {
    const name = pending.pop();
    if (loaded.has(name)) continue;
    loaded.add(name);
    pending.push(...chunks[name].imports, ...chunks[name].dynamicImports);
  }
  const files = [...loaded].map((name) => ({
    name,
    isEntry: name === entry,
    imports: chunks[name].imports,
    ...sizes(readFileSync(join(distDir, name))),
  }));
  const total = (key) => files.reduce((sum, file) => sum + file[key], 0);
  return {
    entry: files.find((file) => file.isEntry),
    files,
    total: { raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') },
  };
}

const kib = (bytes) => `${(bytes / KIB).toFixed(1)} KiB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, total, entry } = measureBundle();
  const rows = [
    ...files.map((f) => [f.name, f.raw, f.gzip, f.brotli]),
    ['total after a join', total.raw, total.gzip, total.brotli],
  ];
  console.log(
    `${'file'.padEnd(40)} ${'minified'.padStart(11)} ${'gzip'.padStart(11)} ${'brotli'.padStart(11)}`,
  );
  for (const [name, raw, gzip, brotli] of rows) {
    console.log(
      `${name.padEnd(40)} ${kib(raw).padStart(11)} ${kib(gzip).padStart(11)} ${kib(brotli).padStart(11)}`,
    );
  }
  console.log(
    `budget: first file ${kib(entry.gzip)} of ${kib(FIRST_FILE_BUDGET)} gzip, total ${kib(total.gzip)} of ${kib(TOTAL_BUDGET)} gzip`,
  );
}
