// The widget and its chunks on the wire: precompressed copies chosen by Accept-Encoding, ETags,
// and caching that suits a file whose name stays (rtc-room.js) or changes with its content.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { writePrecompressed } from '../../build/plugins.js';
import { rawGet as get } from '../build/raw-get.js';
import { acceptedEncodings, PRECOMPRESSED_MANIFEST } from '../../server/static-files.js';
import { startServer, tempDir } from './support.js';

const ENTRY = 'import("./chunks/call-AbC123.js");\n'.repeat(20);
const CHUNK = 'export const call = 1;\n'.repeat(20);

/**
 * A dist directory as the build leaves it: each file with its .br and .gz beside it.
 * @param {import('node:test').TestContext} t
 */
async function builtDist(t) {
  const distDir = tempDir(t);
  mkdirSync(join(distDir, 'chunks'));
  const files = {
    'rtc-room.js': ENTRY,
    'rtc-room.js.map': '{"version":3}\n',
    'chunks/call-AbC123.js': CHUNK,
    'chunks/call-AbC123.js.map': '{"version":3,"sources":[]}\n',
  };
  for (const [name, body] of Object.entries(files)) writeFileSync(join(distDir, name), body);
  await writePrecompressed(distDir, Object.keys(files));
  return distDir;
}

describe('widget files', () => {
  test('rtc-room.js goes out as brotli to a browser that takes it, varying by Accept-Encoding', async (t) => {
    const { origin } = await startServer(t, [], { distDir: await builtDist(t) });
    const response = await get(origin, '/rtc-room.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-encoding'], 'br');
    assert.equal(response.headers.vary, 'Accept-Encoding');
    assert.equal(brotliDecompressSync(response.body).toString(), ENTRY);
    assert.ok(response.body.length < Buffer.byteLength(ENTRY));
    assert.equal(response.headers['content-length'], String(response.body.length));
    assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(response.headers['access-control-allow-origin'], '*');
  });

  test('gzip when brotli is not accepted, the plain file when nothing is', async (t) => {
    const { origin } = await startServer(t, [], { distDir: await builtDist(t) });
    const gzipped = await get(origin, '/rtc-room.js', { 'accept-encoding': 'gzip, br;q=0' });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gzipped.body).toString(), ENTRY);
    const plain = await get(origin, '/rtc-room.js');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), ENTRY);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
  });

  test('each encoding has its own strong ETag, and a matching If-None-Match gets 304', async (t) => {
    const { origin } = await startServer(t, [], { distDir: await builtDist(t) });
    const br = await get(origin, '/rtc-room.js', { 'accept-encoding': 'br' });
    const plain = await get(origin, '/rtc-room.js');
    assert.match(br.headers.etag ?? '', /^"[\w-]+-br"$/);
    assert.match(plain.headers.etag ?? '', /^"[\w-]+"$/);
    assert.notEqual(br.headers.etag, plain.headers.etag);
    const again = await get(origin, '/rtc-room.js', {
      'accept-encoding': 'br',
      'if-none-match': /** @type {string} */ (br.headers.etag),
    });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, br.headers.etag);
    // The plain copy's tag does not validate the brotli response.
    const other = await get(origin, '/rtc-room.js', {
      'accept-encoding': 'br',
      'if-none-match': /** @type {string} */ (plain.headers.etag),
    });
    assert.equal(other.status, 200);
  });

  test('rtc-room.js is cached briefly; hashed chunks for a year, with CORS', async (t) => {
    const { origin } = await startServer(t, [], { distDir: await builtDist(t) });
    const entry = await get(origin, '/rtc-room.js');
    assert.equal(entry.headers['cache-control'], 'public, max-age=300, must-revalidate');
    const chunk = await get(origin, '/chunks/call-AbC123.js', {
      origin: 'https://host.example',
      'accept-encoding': 'gzip',
    });
    assert.equal(chunk.status, 200);
    assert.equal(chunk.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(chunk.headers['access-control-allow-origin'], '*');
    assert.equal(chunk.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.equal(gunzipSync(chunk.body).toString(), CHUNK);
    const map = await get(origin, '/chunks/call-AbC123.js.map');
    assert.equal(map.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(map.body.toString()), { version: 3, sources: [] });
  });

  test('HEAD gives the headers without a body', async (t) => {
    const { origin } = await startServer(t, [], { distDir: await builtDist(t) });
    const response = await get(
      origin,
      '/chunks/call-AbC123.js',
      { 'accept-encoding': 'br' },
      'HEAD',
    );
    assert.equal(response.status, 200);
    assert.equal(response.body.length, 0);
    assert.equal(response.headers['content-encoding'], 'br');
    assert.ok(Number(response.headers['content-length']) > 0);
  });

  test('a compressed copy older than its file is still sent: the manifest vouches for it', async (t) => {
    // npm extracts a package in its own order: rtc-room.js.br may be written before rtc-room.js.
    const distDir = await builtDist(t);
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(distDir, 'rtc-room.js.br'), past, past);
    const { origin } = await startServer(t, [], { distDir });
    const response = await get(origin, '/rtc-room.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(response.headers['content-encoding'], 'br');
    assert.equal(brotliDecompressSync(response.body).toString(), ENTRY);
  });

  test('a compressed copy made from other bytes is not sent', async (t) => {
    const distDir = await builtDist(t);
    // A copy replaced by hand: the other encoding still matches the manifest.
    writeFileSync(join(distDir, 'rtc-room.js.br'), gzipSync('export const stale = 1;\n'));
    const { origin } = await startServer(t, [], { distDir });
    const response = await get(origin, '/rtc-room.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(response.body).toString(), ENTRY);
    // The file rewritten after the build: neither copy is made from it any more.
    writeFileSync(join(distDir, 'chunks/call-AbC123.js'), 'export const call = 2;\n');
    const chunk = await get(origin, '/chunks/call-AbC123.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(chunk.headers['content-encoding'], undefined);
    assert.equal(chunk.body.toString(), 'export const call = 2;\n');
  });

  test('without the manifest, or with a broken one, files go out uncompressed', async (t) => {
    const distDir = await builtDist(t);
    rmSync(join(distDir, PRECOMPRESSED_MANIFEST));
    const { origin } = await startServer(t, [], { distDir });
    const bare = await get(origin, '/rtc-room.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(bare.headers['content-encoding'], undefined);
    assert.equal(bare.body.toString(), ENTRY);
    writeFileSync(join(distDir, PRECOMPRESSED_MANIFEST), '{"rtc-room.js": {');
    const broken = await get(origin, '/rtc-room.js', { 'accept-encoding': 'br, gzip' });
    assert.equal(broken.headers['content-encoding'], undefined);
    assert.equal(broken.body.toString(), ENTRY);
  });

  test('only chunk names are served from chunks/: no other file, no way out of it', async (t) => {
    const distDir = await builtDist(t);
    writeFileSync(join(distDir, 'bundle-graph.json'), '{}');
    const { origin } = await startServer(t, [], { distDir });
    for (const path of [
      '/chunks/missing-XyZ.js',
      '/chunks/..%2Fbundle-graph.json',
      '/chunks/call-AbC123.js.br',
      '/bundle-graph.json',
      '/precompressed.json',
    ]) {
      assert.equal((await get(origin, path)).status, 404, path);
    }
  });
});

describe('acceptedEncodings', () => {
  /** @type {[string | undefined, string[]][]} */
  const cases = [
    ['gzip, deflate, br', ['gzip', 'deflate', 'br']],
    ['br;q=0, gzip;q=0.5', ['gzip']],
    ['*', ['br', 'gzip']],
    ['*, gzip;q=0', ['br']],
    ['identity', ['identity']],
    [undefined, []],
    ['GZIP ; q=1', ['gzip']],
  ];
  for (const [header, expected] of cases) {
    test(`reads ${JSON.stringify(header)}`, () => {
      assert.deepEqual([...acceptedEncodings(header)].sort(), [...expected].sort());
    });
  }
});
