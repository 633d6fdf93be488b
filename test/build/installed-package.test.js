// The package as operators and app developers get it: `npm install` of the packed tarball in an
// empty project, `npx rtc-room-server` from there, and apps built with Vite against it.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { build } from 'vite';
import {
  launchChromium,
  startHostPages,
  visitRoom,
  waitForTileCount,
  waitInPage,
} from '../e2e/harness.js';
import { installPackage, ROOT, serveDirectory, startInstalledServer } from './installed-package.js';
import { rawGet } from './raw-get.js';

/** The call chunk's file name, from the build's graph. */
function callChunk() {
  /** @type {{ chunks: Record<string, import('../../build/plugins.js').BundleChunk> }} */
  const graph = JSON.parse(readFileSync(join(ROOT, 'dist/bundle-graph.json'), 'utf8'));
  const name = Object.keys(graph.chunks).find((file) => graph.chunks[file].name === 'call');
  if (!name) throw new Error('the build has no call chunk');
  return name;
}

const DECODE = { br: brotliDecompressSync, gzip: gunzipSync };

const ROOM_ID = '3f1c2a9e-5b7d-4c8e-9f00-0123456789ab';

/** An app with its own Lit that renders <rtc-room>, and a React 18 page with rtc-room/react. */
const APP_FILES = {
  'index.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Vite app</title></head>
<body><my-app></my-app><script type="module" src="./main.js"></script></body></html>
`,
  'main.js': `import { LitElement, html } from 'lit';
import 'rtc-room';
const params = new URLSearchParams(location.search);
class MyApp extends LitElement {
  createRenderRoot() { return this; }
  render() {
    return html\`<rtc-room room-id=\${params.get('room-id')} server=\${params.get('server')}
      name="Vite" no-prejoin></rtc-room>\`;
  }
}
customElements.define('my-app', MyApp);
`,
  'react.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>React 18 app</title></head>
<body><div id="root"></div><script type="module" src="./react.js"></script></body></html>
`,
  'react.js': `import { createElement, version } from 'react';
import { createRoot } from 'react-dom/client';
import { RtcRoom } from 'rtc-room/react';
const params = new URLSearchParams(location.search);
window.reactVersion = version;
window.joins = [];
createRoot(document.getElementById('root')).render(
  createElement(RtcRoom, {
    roomId: params.get('room-id'),
    server: params.get('server'),
    name: 'React',
    noPrejoin: true,
    muted: true,
    videoOff: true,
    onRtcJoin: (event) => window.joins.push(event.detail),
  }),
);
`,
};

describe('the package installed from its tarball', { timeout: 360_000 }, () => {
  /** @type {Awaited<ReturnType<typeof installPackage>>} */
  let installed;
  /** @type {Awaited<ReturnType<typeof startInstalledServer>>} */
  let server;
  before(async () => {
    installed = await installPackage(['lit', 'react@18', 'react-dom@18']);
    server = await startInstalledServer(installed.app);
  });
  after(async () => {
    await server?.close();
    installed?.remove();
  });

  test('npx rtc-room-server sends rtc-room.js and the call chunk brotli and gzip, as built', async (t) => {
    /** @type {[string, string][]} */
    const files = [
      ['rtc-room.js', 'public, max-age=300, must-revalidate'],
      [callChunk(), 'public, max-age=31536000, immutable'],
    ];
    for (const [path, cacheControl] of files) {
      const built = readFileSync(join(ROOT, 'dist', path));
      /** @type {Record<string, number>} */
      const sizes = {};
      for (const encoding of /** @type {const} */ (['br', 'gzip', null])) {
        const response = await rawGet(server.url, `/${path}`, {
          'accept-encoding': encoding ?? 'identity',
        });
        assert.equal(response.status, 200, path);
        assert.equal(response.headers['content-encoding'], encoding ?? undefined, path);
        const body = encoding ? DECODE[encoding](response.body) : response.body;
        assert.ok(body.equals(built), `${path} (${encoding}) decodes to the built bytes`);
        assert.match(
          response.headers.etag ?? '',
          new RegExp(`^"[\\w-]{22}${encoding ? `-${encoding}` : ''}"$`),
        );
        assert.equal(response.headers['cache-control'], cacheControl, path);
        assert.equal(response.headers.vary, 'Accept-Encoding');
        assert.equal(response.headers['content-length'], String(response.body.length));
        sizes[encoding ?? 'identity'] = response.body.length;
        const again = await rawGet(server.url, `/${path}`, {
          'accept-encoding': encoding ?? 'identity',
          'if-none-match': response.headers.etag ?? '',
        });
        assert.equal(again.status, 304, `${path} (${encoding}) revalidates by its ETag`);
      }
      assert.ok(sizes.br < sizes.identity / 2, `${path} is compressed: ${JSON.stringify(sizes)}`);
      t.diagnostic(`${path} bytes sent: ${JSON.stringify(sizes)}`);
    }
  });

  test('the deploy files come with it', () => {
    for (const name of ['rtc-room-server.service', 'rtc-room-server.env', 'turnserver.conf']) {
      assert.ok(existsSync(join(installed.app, 'node_modules/rtc-room/deploy', name)), name);
    }
  });

  test('the demo and /api/health answer', async () => {
    const demo = await fetch(`${server.url}/`);
    assert.equal(demo.status, 200);
    assert.match(await demo.text(), /<rtc-room/);
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).ok, true);
  });

  describe('in apps built with Vite', () => {
    /**
     * The built app's files, the pages that serve it and the script tag, one Chromium: all but
     * the code filled in by before(), which runs before any test reads them.
     * @type {{
     *   code: string,
     *   site: Awaited<ReturnType<typeof serveDirectory>>,
     *   host: import('../e2e/harness.js').HostPages,
     *   browser: import('../e2e/harness.js').Browser,
     * }}
     */
    const vite = /** @type {typeof vite} */ ({ code: '' });
    before(async () => {
      for (const [name, text] of Object.entries(APP_FILES)) {
        writeFileSync(join(installed.app, name), text);
      }
      const outDir = join(installed.app, 'dist');
      await build({
        root: installed.app,
        logLevel: 'error',
        configFile: false,
        build: {
          outDir,
          rollupOptions: {
            input: {
              main: join(installed.app, 'index.html'),
              react: join(installed.app, 'react.html'),
            },
          },
        },
      });
      const assets = join(outDir, 'assets');
      vite.code = readdirSync(assets)
        .filter((name) => name.endsWith('.js'))
        .map((name) => readFileSync(join(assets, name), 'utf8'))
        .join('\n');
      vite.site = await serveDirectory(outDir);
      vite.host = await startHostPages();
      vite.browser = await launchChromium();
    });
    after(async () => {
      await vite.browser?.close();
      await vite.host?.close();
      await vite.site?.close();
    });

    test('the built app holds one copy of Lit', () => {
      for (const marker of ['litHtmlVersions', 'litElementVersions', 'reactiveElementVersions']) {
        const count = vite.code.split(marker).length - 1;
        assert.equal(count, 1, `${marker} appears ${count} times`);
      }
    });

    test('a visitor of the built app and one of the plain script tag see each other', async () => {
      const query = new URLSearchParams({ 'room-id': ROOM_ID, server: server.url });
      const appVisitor = await vite.browser.newPage();
      await appVisitor.goto(`${vite.site.url}/index.html?${query}`);
      const tagVisitor = await visitRoom(vite.browser, vite.host, server, ROOM_ID, 'Script tag');
      try {
        await waitForTileCount(appVisitor, 2, 'the script-tag visitor in the Vite app');
        await waitForTileCount(tagVisitor, 2, 'the Vite app visitor beside the script tag');
      } finally {
        await Promise.all([appVisitor.close(), tagVisitor.close()]);
      }
    });

    test('strong noise suppression finds its worklet and wasm in the built app', async () => {
      const assets = readdirSync(join(installed.app, 'dist', 'assets'));
      assert.ok(
        assets.some((name) => /^rnnoise-[\w-]+\.wasm$/.test(name)),
        `${assets}`,
      );
      assert.ok(
        assets.some((name) => /^rnnoise-worklet-[\w-]+\.js$/.test(name)),
        `${assets}`,
      );
      const page = await vite.browser.newPage();
      try {
        const query = new URLSearchParams({ 'room-id': crypto.randomUUID(), server: server.url });
        await page.goto(`${vite.site.url}/index.html?${query}`);
        await waitInPage(
          page,
          () => globalThis.document.querySelector('rtc-room')?.state === 'joined',
          undefined,
          'the Vite app joins',
        );
        await page.evaluate(() => {
          globalThis.document.querySelector('rtc-room').noiseSuppression = 'strong';
        });
        await waitInPage(
          page,
          () =>
            performance
              .getEntriesByType('resource')
              .some(
                (entry) =>
                  /\/assets\/rnnoise-[\w-]+\.wasm$/.test(entry.name) &&
                  /** @type {PerformanceResourceTiming} */ (entry).responseStatus === 200,
              ),
          undefined,
          'the wasm loads from the app',
        );
        // It stays on: a worklet (which resource timing does not list) or a wasm that failed
        // would fall back to `browser` and clear the switch.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const isOn = await page.evaluate(() => {
          const room = globalThis.document.querySelector('rtc-room');
          const toggle = room?.shadowRoot?.querySelector('[part~="noise-toggle"]');
          return toggle instanceof globalThis.HTMLInputElement && toggle.checked;
        });
        assert.equal(isOn, true);
      } finally {
        await page.close();
      }
    });

    test('rtc-room/react in React 18 sets properties and receives rtc-join', async () => {
      const page = await vite.browser.newPage();
      try {
        const roomId = crypto.randomUUID();
        await page.goto(
          `${vite.site.url}/react.html?${new URLSearchParams({ 'room-id': roomId, server: server.url })}`,
        );
        await waitInPage(page, () => globalThis.joins.length > 0, undefined, 'rtc-join in React');
        const seen = await page.evaluate(() => ({
          version: globalThis.reactVersion,
          joins: globalThis.joins.map(({ roomId }) => ({ roomId })),
          noPrejoin: globalThis.document.querySelector('rtc-room').noPrejoin,
        }));
        assert.match(seen.version, /^18\./);
        assert.deepEqual(seen.joins, [{ roomId }]);
        assert.equal(seen.noPrejoin, true);
      } finally {
        await page.close();
      }
    });
  });
});
