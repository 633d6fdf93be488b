import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../server/cli.js', import.meta.url));

/**
 * Runs the CLI with `args` and a clean environment.
 * @param {string[]} args
 */
function run(args) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => ({ code, stdout, stderr }));
  return { child, exited, stdout: () => stdout };
}

describe('rtc-room-server', () => {
  test('prints its help with --help', async () => {
    const { code, stdout } = await run(['--help']).exited;
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: rtc-room-server/);
    assert.match(stdout, /--turn-secret/);
  });

  test('exits with 2 and names the bad option', async () => {
    const { code, stderr } = await run(['--max-room-size', 'lots']).exited;
    assert.equal(code, 2);
    assert.match(stderr, /--max-room-size must be a whole number/);
    assert.match(stderr, /--help/);
  });

  test('listens, says where, and closes on SIGTERM', async () => {
    const server = run(['--port', '0', '--host', '127.0.0.1']);
    await once(server.child.stdout, 'data');
    const line = server.stdout();
    assert.match(
      line,
      /^rtc-room-server listening on http:\/\/127\.0\.0\.1:\d+ \(demo at \/, widget at \/rtc-room\.js, PeerServer at \/peerjs\)\n$/,
    );
    const url = /** @type {RegExpMatchArray} */ (line.match(/http:\/\/\S+/))[0];
    assert.equal((await fetch(`${url}/api/health`)).status, 200);
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  });
});
