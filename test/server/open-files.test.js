import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makePeerId } from '../../src/room/room-id.js';
import { connectionsWithin, fitToOpenFiles, readOpenFileLimit } from '../../server/open-files.js';
import { TestPeer, newRoomId } from './support.js';

const CLI = fileURLToPath(new URL('../../server/cli.js', import.meta.url));

const PROC_LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('the open-file limit', () => {
  test('is the soft limit of /proc/self/limits', () => {
    assert.equal(
      readOpenFileLimit(() => PROC_LIMITS),
      1024,
    );
  });

  test('is unknown where /proc/self/limits cannot be read or says unlimited', () => {
    const missing = () => {
      throw new Error("ENOENT: no such file or directory, open '/proc/self/limits'");
    };
    assert.equal(readOpenFileLimit(missing), null);
    assert.equal(
      readOpenFileLimit(() => PROC_LIMITS.replace(/1024 {17}/, 'unlimited            ')),
      null,
    );
  });

  test('lowers --max-connections below it, with headroom, and says why', () => {
    assert.equal(connectionsWithin(1024), 1024 - 64 - 103);
    assert.deepEqual(fitToOpenFiles(500, 1024), { maxConnections: 500, notice: null });
    assert.deepEqual(fitToOpenFiles(20_000, null), { maxConnections: 20_000, notice: null });
    const { maxConnections, notice } = fitToOpenFiles(20_000, 1024);
    assert.equal(maxConnections, connectionsWithin(1024));
    assert.match(
      notice ?? '',
      /--max-connections lowered from 20000 to 857: .*ulimit -n\) is 1024/,
    );
  });

  test('the CLI under a low limit refuses the socket past the lowered figure with server-full', async (t) => {
    const limit = 120;
    const fitting = connectionsWithin(limit);
    const child = spawn(
      'sh',
      [
        '-c',
        `ulimit -n ${limit} && exec "$0" "$@"`,
        process.execPath,
        CLI,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
      ],
      { env: { PATH: process.env.PATH, RTC_ROOM_LOG_LEVEL: 'warn' } },
    );
    t.after(() => child.kill());
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    while (!/listening on http:\/\/127\.0\.0\.1:(\d+)/.test(stdout))
      await once(child.stdout, 'data');
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)?.[1]);
    assert.equal(
      stderr,
      `rtc-room-server: --max-connections lowered from 20000 to ${fitting}: the open-file limit ` +
        `(ulimit -n) is ${limit} and ${limit - fitting} are kept for listening sockets, HTTP ` +
        'connections, files and logs; raise the limit to hold more\n',
    );

    for (let i = 0; i < fitting; i++) await TestPeer.join(port, makePeerId(newRoomId()));
    const refused = await TestPeer.connect(port, makePeerId(newRoomId()));
    assert.deepEqual(await refused.next(), { type: 'ERROR', payload: { msg: 'server-full' } });
    assert.equal((await refused.closed).code, 1008);
    assert.equal(stderr.split('\n').length, 2, 'the notice is given once');
  });
});
