// `npm run bench`: every benchmark in turn, each printing its tables and writing
// bench/results/<name>.json. The build must be current (`npm run build`). Modest repetitions keep
// the whole run under ten minutes on two cores; BENCH_ROUNDS raises them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BENCHES = ['load', 'join', 'chat', 'mesh', 'server'];
const started = Date.now();
let failed = 0;
for (const name of BENCHES) {
  const file = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  if (!existsSync(file)) continue;
  console.log(`\n## bench/${name}.js\n`);
  const at = Date.now();
  const { status } = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  console.log(`\n(${name}: ${((Date.now() - at) / 1000).toFixed(0)} s)`);
  if (status !== 0) failed++;
}
console.log(`\nall benchmarks: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exitCode = failed ? 1 : 0;
