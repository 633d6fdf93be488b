// Rooms spread over two rtc-room-server processes behind Debian's nginx with deploy/nginx.conf:
// each room lands on one process, and a stopped process leaves the other's rooms working.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findNginx } from '../browsers.js';
import { launchChromium, startHostPages, visitRoom, waitForRemoteVideo } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {string} url */
async function waitForHttp(url, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
}

/** One rtc-room-server process, as an operator starts it. */
async function startProcess() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'server/cli.js'), '--host', '127.0.0.1', '--port', String(port), '--ice', 'none'],
    { stdio: 'ignore' },
  );
  const exited = once(child, 'exit');
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/health`);
  } catch (error) {
    // A process that never answered must not outlive the test and hold the run open.
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startProcess>>} ServerProcess */
/** @typedef {Awaited<ReturnType<typeof startNginx>>} Nginx */

/**
 * nginx with deploy/nginx.conf, its upstreams and port set for this run.
 * @param {number[]} upstreamPorts
 */
async function startNginx(upstreamPorts) {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-room-nginx-'));
  const port = await freePort();
  let site = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8');
  const servers = [...site.matchAll(/^\s*server 127\.0\.0\.1:\d+ .*$/gm)];
  assert.equal(servers.length, 2, 'deploy/nginx.conf lists two processes');
  site = site
    .replace(
      servers[0][0],
      `    server 127.0.0.1:${upstreamPorts[0]} max_fails=1 fail_timeout=10s;`,
    )
    .replace(
      servers[1][0],
      `    server 127.0.0.1:${upstreamPorts[1]} max_fails=1 fail_timeout=10s;`,
    )
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    // Which process answered, for the test's eyes only.
    .replace(
      'proxy_pass http://rtc_room;',
      'proxy_pass http://rtc_room;\n        add_header X-Upstream $upstream_addr always;',
    );
  writeFileSync(join(dir, 'rtc-room.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/rtc-room.conf;
}
`,
  );
  const child = spawn(
    findNginx(),
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'],
    {
      stdio: 'ignore',
    },
  );
  const exited = once(child, 'exit');
  await waitForHttp(`http://127.0.0.1:${port}/nginx-health`);
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The port of the process nginx sends `roomId` to.
 * @param {Nginx} nginx
 * @param {string} roomId
 */
async function processOf(nginx, roomId) {
  const response = await fetch(`${nginx.url}/api/config?room=${roomId}`);
  assert.equal(response.status, 200);
  const upstream = response.headers.get('x-upstream');
  if (!upstream) throw new Error('nginx named no upstream');
  return Number(upstream.split(':').pop());
}

/**
 * A room ID that nginx sends to the process on `port`.
 * @param {Nginx} nginx
 * @param {number} port
 */
async function roomOn(nginx, port) {
  for (let i = 0; i < 200; i++) {
    const roomId = crypto.randomUUID();
    if ((await processOf(nginx, roomId)) === port) return roomId;
  }
  throw new Error(`no room lands on ${port}`);
}

/**
 * @param {ServerProcess} process
 * @param {string} roomId
 * @returns {Promise<string[]>}
 */
async function peersOn(process, roomId) {
  const response = await fetch(`${process.url}/api/rooms/${roomId}/peers`);
  return (await response.json()).peers;
}

describe('rooms over two processes behind nginx', () => {
  /** @type {ServerProcess[]} */
  let processes;
  /** @type {Nginx} */
  let nginx;
  /** @type {import('./harness.js').HostPages} */
  let host;
  /** @type {import('./harness.js').Browser} */
  let browser;
  /** @type {import('./harness.js').Page[]} */
  const pages = [];

  before(async () => {
    processes = [];
    // Pushed one by one, so `after` stops the first even when the second fails to start.
    processes.push(await startProcess());
    processes.push(await startProcess());
    nginx = await startNginx(processes.map((p) => p.port));
    host = await startHostPages();
    browser = await launchChromium();
  });

  after(async () => {
    await Promise.all(pages.map((page) => page.close().catch(() => {})));
    await browser?.close();
    await host?.close();
    await nginx?.close();
    await Promise.all((processes ?? []).map((p) => p.stop()));
  });

  const visit = async (/** @type {string} */ roomId, /** @type {string} */ name) => {
    const page = await visitRoom(browser, host, nginx, roomId, name);
    pages.push(page);
    return page;
  };

  it('sends every request of a room to one process, two rooms to two, and survives one stopping', async () => {
    const [first, second] = processes;
    const roomA = await roomOn(nginx, first.port);
    const roomB = await roomOn(nginx, second.port);
    // Every URL of a room reaches the same process: the API by path and query, the WebSocket by peer ID.
    for (let i = 0; i < 5; i++) assert.equal(await processOf(nginx, roomA), first.port);

    const a1 = await visit(roomA, 'A one');
    const a2 = await visit(roomA, 'A two');
    const b1 = await visit(roomB, 'B one');
    const b2 = await visit(roomB, 'B two');
    for (const page of [a1, a2, b1, b2]) await waitForRemoteVideo(page, 1);
    assert.equal((await peersOn(first, roomA)).length, 2, 'room A lives on the first process');
    assert.equal((await peersOn(second, roomB)).length, 2, 'room B lives on the second process');
    assert.deepEqual(await peersOn(second, roomA), []);
    assert.deepEqual(await peersOn(first, roomB), []);

    // The second process stops: room A goes on, and someone can still join it.
    const roomC = await roomOn(nginx, second.port);
    await second.stop();
    const a3 = await visit(roomA, 'A three');
    await waitForRemoteVideo(a3, 2);
    await waitForRemoteVideo(a1, 2);
    assert.equal((await peersOn(first, roomA)).length, 3);

    // A new room that hashed to the stopped process now lands on the live one, and works.
    assert.equal(await processOf(nginx, roomC), first.port);
    const c1 = await visit(roomC, 'C one');
    const c2 = await visit(roomC, 'C two');
    await waitForRemoteVideo(c1, 1);
    await waitForRemoteVideo(c2, 1);
    assert.equal((await peersOn(first, roomC)).length, 2);
  });
});
