// `npm run bench`: every benchmark in turn, or those named (`node bench/run.js join chat`), each
// printing its tables and writing bench/results/<name>.json. What a benchmark prints replaces its
// section of bench/README.md (between its marker lines), so that page always shows the latest run.
// The build must be current (`npm run build`). Modest repetitions keep the whole run under ten
// minutes on two cores; BENCH_ROUNDS raises them.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const BENCHES = ['load', 'join', 'chat', 'mesh', 'server', 'lab', 'sfu', 'noise', 'effects'];
const README = fileURLToPath(new URL('./README.md', import.meta.url));

/** @param {unknown} value */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A markdown table; prettier aligns it when the page is written.
 * @param {string[]} header
 * @param {unknown[][]} rows
 */
function markdownTable(header, rows) {
  const line = (/** @type {unknown[]} */ cells) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

/**
 * A summary a benchmark printed as JSON, as tables: its objects side by side (one column each),
 * then its plain values.
 * @param {Record<string, unknown>} summary
 */
function summaryTables(summary) {
  const entries = Object.entries(summary);
  const groups = /** @type {[string, Record<string, unknown>][]} */ (
    entries.filter(([, value]) => isObject(value))
  );
  const values = entries.filter(([, value]) => !isObject(value));
  const tables = [];
  if (groups.length > 0) {
    const keys = [...new Set(groups.flatMap(([, group]) => Object.keys(group)))];
    const rows = keys.map((key) => [key, ...groups.map(([, group]) => group[key] ?? '')]);
    tables.push(`Summary by case\n\n${markdownTable(['figure', ...groups.map(([n]) => n)], rows)}`);
  }
  if (values.length > 0) tables.push(`Summary\n\n${markdownTable(['figure', 'value'], values)}`);
  return tables;
}

/**
 * The markdown of what a benchmark printed: every table (`printTable` in lib.js) under the title
 * line printed before it, and a JSON summary (a `{` … `}` block) as tables; the rest is dropped.
 * @param {string} output
 */
export function tablesIn(output) {
  const lines = output.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('|')) {
      const start = i;
      while (i + 1 < lines.length && lines[i + 1].startsWith('|')) i++;
      const title = lines.slice(0, start).findLast((line) => line.trim() !== '') ?? '';
      const table = lines.slice(start, i + 1).join('\n');
      blocks.push(/^[|{}]/.test(title) ? table : `${title.trim()}\n\n${table}`);
    } else if (lines[i] === '{') {
      const end = lines.indexOf('}', i);
      if (end === -1) break;
      blocks.push(...summaryTables(JSON.parse(lines.slice(i, end + 1).join('\n'))));
      i = end;
    }
  }
  return blocks.join('\n\n');
}

/**
 * `readme` with the section of benchmark `name` replaced by `body`.
 * @param {string} readme
 * @param {string} name
 * @param {string} body
 */
function withSection(readme, name, body) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) throw new Error(`bench/README.md lacks ${start} … ${end}`);
  return `${readme.slice(0, from + start.length)}\n\n${body}\n\n${readme.slice(to)}`;
}

/**
 * Runs one benchmark, showing its output as it comes.
 * @param {string} name
 * @returns {Promise<{ status: number | null, output: string }>}
 */
function runBenchmark(name) {
  const file = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

/**
 * Writes one benchmark's tables into bench/README.md, formatted as `npm run lint` wants.
 * @param {string} name
 * @param {string} output what it printed
 * @param {string} seconds how long it ran
 */
async function record(name, output, seconds) {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`;
  const when = new Date().toISOString().slice(0, 10);
  const body = `${tablesIn(output)}\n\n_${when}, ${machine}: ${seconds} s_`;
  const readme = withSection(readFileSync(README, 'utf8'), name, body);
  const options = await prettier.resolveConfig(README);
  writeFileSync(README, await prettier.format(readme, { ...options, filepath: README }));
}

async function main() {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !BENCHES.includes(name));
  if (unknown.length > 0) throw new Error(`no benchmark ${unknown.join(', ')}: ${BENCHES}`);
  const started = Date.now();
  let failed = 0;
  for (const name of names.length > 0 ? names : BENCHES) {
    console.log(`\n## bench/${name}.js\n`);
    const at = Date.now();
    const { status, output } = await runBenchmark(name);
    const seconds = ((Date.now() - at) / 1000).toFixed(0);
    console.log(`\n(${name}: ${seconds} s)`);
    // A failed run keeps the figures of the last good one on the page.
    if (status === 0) await record(name, output, seconds);
    else failed++;
  }
  console.log(`\nall benchmarks: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
