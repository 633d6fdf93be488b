// The package the way people get it: packed, installed from the tarball into an empty project
// (its dependencies from the npm registry), and its server started there with npx.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** How long packing and installing may take: the registry is the slow part. */
const INSTALL_TIMEOUT_MS = 240_000;

/**
 * Packs the built project (without building again) and installs the tarball, with `also`
 * (other packages the app depends on), into a new project in a temporary folder.
 * @param {string[]} also
 * @returns {Promise<{ app: string, remove: () => void }>}
 */
export async function installPackage(also = []) {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-room-installed-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const options = { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 };
    const { stdout } = await run(
      'npm',
      ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir],
      { ...options, cwd: ROOT },
    );
    // npm names the tarball on its last line (a split gives one line at least).
    const tarball = join(dir, stdout.trim().split('\n').at(-1) ?? '');
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'app', private: true, type: 'module' })}\n`,
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball, ...also], {
      ...options,
      cwd: app,
    });
    return { app, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * Starts `npx rtc-room-server` in `app` on a free loopback port, as an operator would.
 * @param {string} app
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startInstalledServer(app) {
  const child = spawn(
    'npx',
    [
      'rtc-room-server',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--ice',
      'none',
      '--log-level',
      'error',
    ],
    // Its own process group: npx runs the server as a child, and both must stop.
    { cwd: app, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const close = async () => {
    if (child.exitCode === null) {
      if (child.pid === undefined) throw new Error('npx rtc-room-server did not start');
      process.kill(-child.pid, 'SIGTERM');
    }
    await exited;
  };
  let output = '';
  /** @type {string} */
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line in 30 s: ${output}`)),
      30_000,
    );
    const read = (/** @type {Buffer} */ chunk) => {
      output += chunk;
      const address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (address) {
        clearTimeout(timer);
        resolve(address[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npx rtc-room-server exited with ${code}: ${output}`));
    });
  }).catch(async (error) => {
    await close();
    throw error;
  });
  return { url, close };
}

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * Serves the files of `dir` on a loopback port (a built app, as a host site would).
 * @param {string} dir
 */
export async function serveDirectory(dir) {
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const path = normalize(join(dir, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    const type = TYPES[extname(path)];
    if (!path.startsWith(dir) || !type) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(path);
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    // localhost: a secure context for the camera, and another origin than the room server's.
    url: `http://localhost:${port}`,
    close: () =>
      /** @type {Promise<void>} */ (new Promise((resolve) => server.close(() => resolve()))),
  };
}
