// deploy/: the systemd unit and its environment file, and the coturn configuration, checked by
// the programs that read them (systemd-analyze, turnserver) and against rtc-room-server's own.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WebSocket } from 'ws';
import { iceResponse } from '../../server/ice.js';
import { parseConfig } from '../../server/config.js';
import { makePeerId } from '../../src/room/room-id.js';
import { findNginx, findTurnServer } from '../browsers.js';
import { startRoomServer } from '../e2e/harness.js';
import { decodeResponse, encodeRequest, METHODS, openTurnClient } from './turn-client.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const UNIT = join(DEPLOY, 'rtc-room-server.service');
const TURN_CONF = join(DEPLOY, 'turnserver.conf');
const run = promisify(execFile);

/**
 * A program the test runs, or an Error with a one-line install hint.
 * @param {string} path
 * @param {string} debianPackage
 */
function findProgram(path, debianPackage) {
  if (existsSync(path)) return path;
  throw new Error(`${path} not found: install it with \`apt-get install -y ${debianPackage}\``);
}

/**
 * `key=value` lines (comments and blanks skipped) as [key, value] pairs, in order.
 * @param {string} text
 * @returns {[string, string][]}
 */
function settings(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('['))
    .map((line) => {
      const at = line.indexOf('=');
      return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
    });
}

/**
 * @param {[string, string][]} pairs
 * @param {string} key
 */
function lastSetting(pairs, key) {
  return pairs.findLast(([name]) => name === key)?.[1];
}

describe('deploy/rtc-room-server.service', () => {
  const unit = settings(readFileSync(UNIT, 'utf8'));

  test('systemd-analyze verify accepts it without a warning', async () => {
    const analyze = findProgram('/usr/bin/systemd-analyze', 'systemd');
    const { stdout, stderr } = await run(analyze, ['verify', UNIT], { timeout: 30_000 });
    assert.equal(`${stdout}${stderr}`, '');
  });

  test('runs as its own user, on a read-only system, with secrets from a file, restarting on failure', () => {
    assert.equal(lastSetting(unit, 'DynamicUser'), 'yes');
    assert.equal(lastSetting(unit, 'ProtectSystem'), 'strict');
    assert.equal(lastSetting(unit, 'NoNewPrivileges'), 'yes');
    assert.equal(lastSetting(unit, 'CapabilityBoundingSet'), '');
    assert.equal(lastSetting(unit, 'EnvironmentFile'), '/etc/rtc-room/server.env');
    assert.equal(lastSetting(unit, 'Restart'), 'on-failure');
    assert.doesNotMatch(
      lastSetting(unit, 'ExecStart') ?? assert.fail('the unit has no ExecStart'),
      /secret|token/i,
      'no secret in ps',
    );
  });

  test('its environment and deploy/rtc-room-server.env are a valid configuration that uses coturn', () => {
    const env = Object.fromEntries([
      ...(lastSetting(unit, 'Environment') ?? assert.fail('the unit sets no Environment'))
        .split(' ')
        .map((pair) => pair.split('=')),
      ...settings(readFileSync(join(DEPLOY, 'rtc-room-server.env'), 'utf8')),
    ]);
    const config = parseConfig([], env);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.trustProxy, 1);
    const turn = settings(readFileSync(TURN_CONF, 'utf8'));
    assert.ok(config.turn, 'TURN credentials are handed out');
    assert.match(config.turn.secret, /change-me/, 'a placeholder, never a real secret');
    const ports = config.turn.urls.map((url) => Number(/:(\d+)\?/.exec(url)?.[1]));
    assert.ok(ports.includes(Number(lastSetting(turn, 'listening-port'))), 'plain TURN port');
    assert.ok(config.turn.urls.some((url) => url.startsWith('turns:') && url.includes(':443?')));
  });
});

/** A TCP and UDP port free on loopback now. */
async function freePort() {
  const server = createServer();
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A STUN Binding over TLS to 127.0.0.1:`port`, with `alpn` asked for; resolves with the TLS
 * version once it is answered (empty if the socket names none).
 * @param {number} port
 * @param {string[]} [alpn]
 */
async function bindingOverTls(port, alpn = []) {
  const socket = connect({
    host: '127.0.0.1',
    port,
    rejectUnauthorized: false,
    ALPNProtocols: alpn,
  });
  try {
    await new Promise((resolve, reject) => {
      socket.once('secureConnect', resolve).once('error', reject);
    });
    const request = encodeRequest(METHODS.binding);
    socket.write(request.bytes);
    /** @type {Buffer} */
    const answer = await new Promise((resolve, reject) => {
      socket
        .once('data', resolve)
        .once('error', reject)
        .once('end', () => reject(new Error('closed')));
    });
    const response = decodeResponse(answer);
    assert.ok(response.isSuccess && response.id.equals(request.id), 'a Binding answer over TLS');
    return socket.getProtocol() ?? '';
  } finally {
    socket.destroy();
  }
}

/** nginx's folders for buffered bodies: in the run's own folder, not the system's. */
const TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];

/**
 * A GET over HTTPS to 127.0.0.1:`port` as a browser opens it (ALPN http/1.1).
 * @param {number} port
 * @param {string} path
 * @returns {Promise<{ status: number | undefined, body: string }>}
 */
function httpsGet(port, path) {
  // https hands these on to tls.connect, ALPN included, which its option type leaves out.
  /** @type {import('node:https').RequestOptions & import('node:tls').ConnectionOptions} */
  const options = {
    host: '127.0.0.1',
    port,
    path,
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  };
  return new Promise((resolve, reject) => {
    request(options, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (part) => (body += part));
      response.on('end', () => resolve({ status: response.statusCode, body }));
    })
      .on('error', reject)
      .end();
  });
}

/**
 * A self-signed certificate for localhost in `dir`: { cert, key } paths.
 * @param {string} dir
 */
async function makeCertificate(dir) {
  const openssl = findProgram('/usr/bin/openssl', 'openssl');
  const paths = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-days',
    '1',
    '-keyout',
    paths.key,
    '-out',
    paths.cert,
  ]);
  return paths;
}

describe('deploy/turnserver.conf', () => {
  const conf = settings(readFileSync(TURN_CONF, 'utf8'));
  const secret = randomBytes(16).toString('hex');
  /** @type {string} */
  let dir;
  /** @type {Awaited<ReturnType<typeof makeCertificate>>} */
  let certificate;
  /** @type {import('node:child_process').ChildProcess} */
  let coturn;
  /** @type {Promise<unknown>} */
  let exited;
  /** @type {{ plain: number, tls: number }} */
  let ports;
  /** @type {Awaited<ReturnType<typeof openTurnClient>>} */
  let client;

  before(async () => {
    const turnserver = findTurnServer();
    dir = mkdtempSync(join(tmpdir(), 'rtc-room-coturn-'));
    // The shipped file as it is, with what each machine has of its own: the addresses (loopback
    // here), free ports, the secret and a certificate.
    certificate = await makeCertificate(dir);
    ports = { plain: await freePort(), tls: await freePort() };
    coturn = spawn(
      turnserver,
      [
        '-c',
        TURN_CONF,
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${ports.plain}`,
        `--tls-listening-port=${ports.tls}`,
        `--static-auth-secret=${secret}`,
        `--cert=${certificate.cert}`,
        `--pkey=${certificate.key}`,
        `--pidfile=${join(dir, 'turnserver.pid')}`,
        `--userdb=${join(dir, 'turndb')}`,
      ],
      { stdio: 'ignore' },
    );
    exited = new Promise((resolve) => coturn.once('exit', resolve));
    const { iceServers } = iceResponse({
      iceServers: [],
      turn: { secret, urls: [`turn:127.0.0.1:${ports.plain}`], ttl: 600 },
    });
    const { username, credential } = iceServers[0];
    if (!username || !credential) throw new Error('rtc-room-server made no TURN credentials');
    client = await openTurnClient(ports.plain, { username, credential });
    // coturn starts in about a second; the first Binding waits for it.
    const started = Date.now();
    for (;;) {
      try {
        await client.binding();
        break;
      } catch (error) {
        if (coturn.exitCode !== null || Date.now() - started > 10_000) throw error;
      }
    }
  });

  after(async () => {
    await client?.close();
    if (coturn?.exitCode === null) coturn.kill('SIGTERM');
    await exited;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('answers STUN over UDP and over TLS', async () => {
    const binding = await client.binding();
    assert.ok(binding.isSuccess);
    assert.equal(binding.mapped?.address, '127.0.0.1');
    assert.match(await bindingOverTls(ports.tls), /^TLSv1\.[23]$/);
  });

  test('relays, from its port range, for credentials rtc-room-server makes with the secret', async () => {
    const allocation = await client.allocate();
    assert.ok(allocation.isSuccess, `Allocate answered ${allocation.errorCode}`);
    const { port } = allocation.relayed ?? assert.fail('no relayed address');
    assert.ok(port >= Number(lastSetting(conf, 'min-port')), `relay port ${port}`);
    assert.ok(port <= Number(lastSetting(conf, 'max-port')), `relay port ${port}`);
    // A public address may be a peer (a permission sends nothing to it).
    assert.ok((await client.createPermission('8.8.8.8')).isSuccess);
  });

  test('refuses credentials made with another secret', async () => {
    const stranger = await openTurnClient(ports.plain, {
      username: `${Math.floor(Date.now() / 1000) + 600}:stranger`,
      credential: 'bm90IHRoZSBzZWNyZXQ=',
    });
    try {
      const allocation = await stranger.allocate();
      assert.equal(allocation.errorCode, 401);
    } finally {
      await stranger.close();
    }
  });

  test('never relays to loopback, private or link-local addresses', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.1.1']) {
      const permission = await client.createPermission(address);
      assert.equal(permission.errorCode, 403, address);
    }
  });

  describe('behind deploy/nginx-stream.conf and deploy/nginx-site.conf on one port 443', () => {
    /**
     * rtc-room-server, nginx in front of it and coturn, and the ports nginx listens on: filled
     * in by before(), which runs before any test reads them.
     * @type {{
     *   server: import('../e2e/harness.js').RoomServerHandle,
     *   nginx: import('node:child_process').ChildProcess,
     *   exited: Promise<unknown>,
     *   web: { https: number, http: number, site: number, unwrap: number },
     * }}
     */
    const front = /** @type {typeof front} */ ({});

    before(async () => {
      const modulePath = findProgram(
        '/usr/lib/nginx/modules/ngx_stream_module.so',
        'libnginx-mod-stream',
      );
      front.server = await startRoomServer(['--trust-proxy']);
      const web = {
        https: await freePort(),
        http: await freePort(),
        site: await freePort(),
        unwrap: await freePort(),
      };
      front.web = web;
      const serverPort = new URL(front.server.url).port;
      // The shipped files, on loopback ports of this run (IPv6 listeners left out).
      const replace = (/** @type {string} */ text, /** @type {[string, string][]} */ pairs) =>
        pairs.reduce((result, [from, to]) => {
          assert.ok(result.includes(from), `the file has ${from}`);
          return result.replaceAll(from, to);
        }, text);
      const stream = replace(readFileSync(join(DEPLOY, 'nginx-stream.conf'), 'utf8'), [
        ['listen [::]:443;', ''],
        ['listen 443;', `listen 127.0.0.1:${web.https};`],
        ['127.0.0.1:8443', `127.0.0.1:${web.site}`],
        ['127.0.0.1:5350', `127.0.0.1:${web.unwrap}`],
        ['127.0.0.1:5349', `127.0.0.1:${ports.tls}`],
      ]);
      const site = replace(readFileSync(join(DEPLOY, 'nginx-site.conf'), 'utf8'), [
        ['listen [::]:80;', ''],
        ['listen 80;', `listen 127.0.0.1:${web.http};`],
        ['127.0.0.1:8443', `127.0.0.1:${web.site}`],
        ['127.0.0.1:9000', `127.0.0.1:${serverPort}`],
        ['/etc/letsencrypt/live/rtc.example.com/fullchain.pem', certificate.cert],
        ['/etc/letsencrypt/live/rtc.example.com/privkey.pem', certificate.key],
      ]);
      writeFileSync(join(dir, 'stream.conf'), stream);
      writeFileSync(join(dir, 'site.conf'), site);
      writeFileSync(
        join(dir, 'nginx.conf'),
        `load_module ${modulePath};
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
events { worker_connections 256; }
include ${dir}/stream.conf;
http {
  access_log off;
  ${TEMP_PATHS.map((kind) => `${kind}_temp_path ${dir}/${kind};`).join('\n  ')}
  include ${dir}/site.conf;
}
`,
      );
      const args = ['-p', dir, '-c', join(dir, 'nginx.conf')];
      await run(findNginx(), [...args, '-t'], { timeout: 30_000 });
      const nginx = spawn(findNginx(), [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
      front.nginx = nginx;
      front.exited = new Promise((resolve) => nginx.once('exit', resolve));
      const started = Date.now();
      while (!(await httpsGet(web.https, '/api/health').catch(() => null))) {
        if (nginx.exitCode !== null || Date.now() - started > 10_000) {
          throw new Error(
            `nginx did not start: ${readFileSync(join(dir, 'nginx-error.log'), 'utf8')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    after(async () => {
      if (front.nginx?.exitCode === null) front.nginx.kill('SIGQUIT');
      await front.exited;
      await front.server?.close();
    });

    test('HTTPS on 443 reaches rtc-room-server, signalling WebSockets included', async () => {
      const health = await httpsGet(front.web.https, '/api/health');
      assert.equal(health.status, 200);
      assert.equal(JSON.parse(health.body).ok, true);
      const peerId = makePeerId(crypto.randomUUID());
      // ws hands these on to https, and https to tls.connect, ALPN included.
      /** @type {import('ws').ClientOptions & import('node:tls').ConnectionOptions} */
      const options = { rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] };
      const socket = new WebSocket(
        `wss://127.0.0.1:${front.web.https}/peerjs/peerjs?key=peerjs&id=${peerId}&token=t0k3n`,
        options,
      );
      try {
        const message = await new Promise((resolve, reject) => {
          socket.once('message', (data) => resolve(JSON.parse(String(data)))).once('error', reject);
        });
        assert.equal(message.type, 'OPEN');
      } finally {
        socket.close();
      }
    });

    test('TLS on 443 without HTTP reaches coturn', async () => {
      assert.match(await bindingOverTls(front.web.https), /^TLSv1\.[23]$/);
    });

    test('plain HTTP on 80 is sent to HTTPS', async () => {
      const response = await fetch(`http://127.0.0.1:${front.web.http}/room?x=1`, {
        redirect: 'manual',
      });
      assert.equal(response.status, 301);
      assert.equal(response.headers.get('location'), `https://127.0.0.1/room?x=1`);
    });
  });
});
