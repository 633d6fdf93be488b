import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startServer, tempDir } from './support.js';

/** @param {import('node:test').TestContext} t */
function builtWidget(t) {
  const distDir = tempDir(t);
  writeFileSync(join(distDir, 'rtc-room.js'), 'export const widget = 1;\n');
  writeFileSync(join(distDir, 'rtc-room.js.map'), '{"version":3}\n');
  return distDir;
}

describe('static files', () => {
  test('the widget is served as JavaScript that any site may load', async (t) => {
    const { origin } = await startServer(t, [], { distDir: builtWidget(t) });
    const response = await fetch(`${origin}/rtc-room.js`, {
      headers: { origin: 'https://host.example' },
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'export const widget = 1;\n');
    assert.equal(response.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  });

  test('the source map is served beside it', async (t) => {
    const { origin } = await startServer(t, [], { distDir: builtWidget(t) });
    const response = await fetch(`${origin}/rtc-room.js.map`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(await response.json(), { version: 3 });
  });

  test('an unbuilt widget answers 503 with what to run', async (t) => {
    const { origin } = await startServer(t, [], { distDir: tempDir(t) });
    const response = await fetch(`${origin}/rtc-room.js`);
    assert.equal(response.status, 503);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await response.text(), 'rtc-room.js is not built yet: run npm run build\n');
    assert.equal((await fetch(`${origin}/rtc-room.js.map`)).status, 404);
  });

  test('the demo is served at /', async (t) => {
    const demoDir = tempDir(t);
    writeFileSync(join(demoDir, 'index.html'), '<!doctype html><title>demo</title>\n');
    const { origin } = await startServer(t, [], { demoDir });
    const response = await fetch(`${origin}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(await response.text(), '<!doctype html><title>demo</title>\n');
  });

  test('an unknown path is a plain 404', async (t) => {
    const { origin } = await startServer(t, [], { demoDir: tempDir(t) });
    const response = await fetch(`${origin}/nothing-here`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), 'Not found\n');
  });
});
