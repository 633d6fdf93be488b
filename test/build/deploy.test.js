// deploy/: the systemd unit and its environment file, and the coturn configuration, checked by
// the programs that read them (systemd-analyze, turnserver) and against rtc-room-server's own.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { iceResponse } from '../../server/ice.js';
import { parseConfig } from '../../server/config.js';
import { findTurnServer } from '../browsers.js';
import { decodeResponse, encodeRequest, METHODS, openTurnClient } from './turn-client.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const UNIT = join(DEPLOY, 'rtc-room-server.service');
const TURN_CONF = join(DEPLOY, 'turnserver.conf');
const run = promisify(execFile);

/** A program the test runs, or an Error with a one-line install hint. */
function findProgram(path, debianPackage) {
  if (existsSync(path)) return path;
  throw new Error(`${path} not found: install it with \`apt-get install -y ${debianPackage}\``);
}

/** `key=value` lines (comments and blanks skipped) as [key, value] pairs, in order. */
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
    assert.doesNotMatch(lastSetting(unit, 'ExecStart'), /secret|token/i, 'no secret in ps');
  });

  test('its environment and deploy/rtc-room-server.env are a valid configuration that uses coturn', () => {
    const env = Object.fromEntries([
      ...lastSetting(unit, 'Environment')
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
    const ports = config.turn.urls.map((url) => Number(/:(\d+)\?/.exec(url)[1]));
    assert.ok(ports.includes(Number(lastSetting(turn, 'listening-port'))), 'plain TURN port');
    assert.ok(config.turn.urls.some((url) => url.startsWith('turns:') && url.includes(':443?')));
  });
});

/** A TCP and UDP port free on loopback now. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('deploy/turnserver.conf', () => {
  const conf = settings(readFileSync(TURN_CONF, 'utf8'));
  const secret = randomBytes(16).toString('hex');
  let dir;
  let coturn;
  let exited;
  let ports;
  let client;

  before(async () => {
    const turnserver = findTurnServer();
    const openssl = findProgram('/usr/bin/openssl', 'openssl');
    dir = mkdtempSync(join(tmpdir(), 'rtc-room-coturn-'));
    // The shipped file as it is, with what each machine has of its own: the addresses (loopback
    // here), free ports, the secret and a certificate.
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
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
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
        `--cert=${join(dir, 'cert.pem')}`,
        `--pkey=${join(dir, 'key.pem')}`,
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
    client = await openTurnClient(ports.plain, iceServers[0]);
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
    const socket = connect({ host: '127.0.0.1', port: ports.tls, rejectUnauthorized: false });
    try {
      await new Promise((resolve, reject) =>
        socket.once('secureConnect', resolve).once('error', reject),
      );
      assert.match(socket.getProtocol() ?? '', /^TLSv1\.[23]$/);
      const request = encodeRequest(METHODS.binding);
      socket.write(request.bytes);
      const answer = await new Promise((resolve) => socket.once('data', resolve));
      const response = decodeResponse(answer);
      assert.ok(response.isSuccess && response.id.equals(request.id), 'a Binding answer over TLS');
    } finally {
      socket.destroy();
    }
  });

  test('relays, from its port range, for credentials rtc-room-server makes with the secret', async () => {
    const allocation = await client.allocate();
    assert.ok(allocation.isSuccess, `Allocate answered ${allocation.errorCode}`);
    const { port } = allocation.relayed;
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
});
