// The npm package: unbundled ES modules that import lit and peerjs, harmless on a server, and an
// app built against it carries one Lit.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rollup } from 'rollup';
import { commonjs, nodeResolve as resolve } from '../../build/rollup-plugins.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('the npm package', () => {
  test('importing it in Node, as an SSR framework does, throws nothing', async () => {
    // A child process: no DOM globals, and the package found by its own name through `exports`.
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import('rtc-room');
         console.log(JSON.stringify({ element: typeof m.RtcRoom, isRoomId: m.isRoomId('3f1c2a9e-0000-4000-8000-000000000000'), window: typeof window }));`,
      ],
      { cwd: ROOT },
    );
    assert.deepEqual(JSON.parse(stdout), {
      element: 'function',
      isRoomId: true,
      window: 'undefined',
    });
  });

  test('its entry is unbundled modules that import lit and peerjs', async () => {
    const { readFile } = await import('node:fs/promises');
    const entry = await readFile(join(ROOT, 'dist/lib/rtc-room.js'), 'utf8');
    assert.match(entry, /from 'lit'/);
    const transport = await readFile(join(ROOT, 'dist/lib/transport/peerjs-transport.js'), 'utf8');
    assert.match(transport, /from 'peerjs'/);
    const map = JSON.parse(await readFile(join(ROOT, 'dist/lib/rtc-room.js.map'), 'utf8'));
    assert.equal(typeof map.sourcesContent?.[0], 'string', 'source maps carry their sources');
  });

  test('an app that uses Lit and the package, built with Rollup, has one copy of Lit', async (t) => {
    const app = mkdtempSync(join(tmpdir(), 'rtc-room-app-'));
    t.after(() => rmSync(app, { recursive: true, force: true }));
    mkdirSync(join(app, 'node_modules'));
    // As npm would lay it out: the package and Lit side by side.
    symlinkSync(ROOT, join(app, 'node_modules', 'rtc-room'), 'dir');
    for (const name of ['lit', 'lit-html', 'lit-element', '@lit']) {
      symlinkSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name), 'dir');
    }
    writeFileSync(
      join(app, 'app.js'),
      `import { LitElement, html } from 'lit';
import 'rtc-room';
class MyApp extends LitElement {
  render() { return html\`<rtc-room room-id="3f1c2a9e-0000-4000-8000-000000000000"></rtc-room>\`; }
}
customElements.define('my-app', MyApp);
`,
    );
    const bundle = await rollup({
      input: join(app, 'app.js'),
      plugins: [resolve({ browser: true, rootDir: app }), commonjs()],
      onwarn: () => {},
    });
    const { output } = await bundle.generate({ format: 'es' });
    await bundle.close();
    const code = output.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
    for (const marker of ['litHtmlVersions', 'litElementVersions', 'reactiveElementVersions']) {
      const count = code.split(marker).length - 1;
      assert.equal(count, 1, `${marker} appears ${count} times`);
    }
    // PeerJS stays in a chunk of its own, loaded when a visitor joins.
    const main = output.find(
      /** @returns {chunk is import('rollup').OutputChunk} */
      (chunk) => chunk.type === 'chunk' && chunk.isEntry,
    );
    if (!main) throw new Error('the app has no entry chunk');
    assert.ok(!main.code.includes('0.peerjs.com'), 'PeerJS is not in the app entry');
    assert.ok(code.includes('0.peerjs.com'), 'PeerJS is in a lazy chunk');
  });
});
