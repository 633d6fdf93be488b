// Limits an operator sets, each crossed. Several client addresses are played from one machine by
// connecting from 127.0.0.2, 127.0.0.3, … (all loopback).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePeerId } from '../../src/room/room-id.js';
import { TestPeer, eventually, getFrom, newRoomId, startServer } from './support.js';

/**
 * Connects `id` from `from` and expects `msg` in an ERROR.
 * @param {number} port
 * @param {string} from
 * @param {string} msg
 */
async function expectRefusal(port, from, msg) {
  const peer = await TestPeer.connect(port, makePeerId(newRoomId()), { from });
  assert.deepEqual(await peer.next(), { type: 'ERROR', payload: { msg } });
  assert.equal((await peer.closed).code, 1008);
}

describe('limits', () => {
  test('one address holds at most --max-connections-per-ip sockets; others are unaffected', async (t) => {
    const { port } = await startServer(t, ['--max-connections-per-ip', '3']);
    const held = [];
    for (let i = 0; i < 3; i++) {
      held.push(await TestPeer.join(port, makePeerId(newRoomId()), { from: '127.0.0.2' }));
    }
    await expectRefusal(port, '127.0.0.2', 'too-many-connections');
    // Another visitor, from another address, gets in.
    await TestPeer.join(port, makePeerId(newRoomId()), { from: '127.0.0.3' });
    // A socket closed gives its place back.
    await held[0].close();
    await eventually(() => TestPeer.join(port, makePeerId(newRoomId()), { from: '127.0.0.2' }));
  });

  test('the default lets one address hold 50 sockets and no more', async (t) => {
    const { port } = await startServer(t, ['--max-registrations-per-ip', '1000']);
    const held = await Promise.all(
      Array.from({ length: 50 }, () =>
        TestPeer.join(port, makePeerId(newRoomId()), { from: '127.0.0.4' }),
      ),
    );
    assert.equal(held.length, 50);
    await expectRefusal(port, '127.0.0.4', 'too-many-connections');
  });

  test('one address registers at most --max-registrations-per-ip times a minute', async (t) => {
    const { port } = await startServer(t, ['--max-registrations-per-ip', '3']);
    for (let i = 0; i < 3; i++) {
      const peer = await TestPeer.join(port, makePeerId(newRoomId()), { from: '127.0.0.5' });
      await peer.close();
    }
    await expectRefusal(port, '127.0.0.5', 'too-many-registrations');
    await TestPeer.join(port, makePeerId(newRoomId()), { from: '127.0.0.6' });
  });

  test('all addresses together hold at most --max-connections sockets', async (t) => {
    const { port } = await startServer(t, ['--max-connections', '3']);
    for (const from of ['127.0.0.7', '127.0.0.8', '127.0.0.9']) {
      await TestPeer.join(port, makePeerId(newRoomId()), { from });
    }
    await expectRefusal(port, '127.0.0.10', 'server-full');
  });

  test('an address that calls /api too often gets 429 with Retry-After; others do not', async (t) => {
    // 60 a minute, 10 of them at once.
    const { origin } = await startServer(t, ['--max-api-requests-per-ip', '60']);
    const url = `${origin}/api/rooms/${newRoomId()}/peers`;
    for (let i = 0; i < 10; i++) {
      assert.equal((await getFrom(url, { from: '127.0.0.11' })).status, 200);
    }
    const refused = await getFrom(url, { from: '127.0.0.11' });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error, 'rate-limited');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `${retryAfter}`);
    assert.equal((await getFrom(url, { from: '127.0.0.12' })).status, 200);
  });

  test('2,000 room lookups in a burst are mostly refused by default', async (t) => {
    const { origin } = await startServer(t);
    let refused = 0;
    for (let i = 0; i < 2000; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, () =>
          fetch(`${origin}/api/rooms/${newRoomId()}/peers`).then((response) => response.status),
        ),
      );
      refused += batch.filter((status) => status === 429).length;
    }
    // 1,200 a minute, 200 at once: about 200 get an answer in the few seconds this takes.
    assert.ok(refused >= 1500, `${refused} of 2000 refused`);
  });

  test('X-Forwarded-For counts only with --trust-proxy', async (t) => {
    const spoofed = (/** @type {number} */ i) => ({ 'x-forwarded-for': `203.0.113.${i}` });
    const direct = await startServer(t, ['--max-api-requests-per-ip', '12']);
    const url = `${direct.origin}/api/health`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await getFrom(url, { headers: spoofed(i) })).status);
    assert.deepEqual(statuses, [200, 200, 429], 'a forged header does not escape the limit');

    const proxied = await startServer(t, ['--max-api-requests-per-ip', '12', '--trust-proxy']);
    const behindProxy = `${proxied.origin}/api/health`;
    for (let i = 0; i < 3; i++) {
      assert.equal((await getFrom(behindProxy, { headers: spoofed(1) })).status, i < 2 ? 200 : 429);
    }
    // The proxy appends the address it saw: the entries before it are the client's own words.
    const forwarded = { 'x-forwarded-for': '203.0.113.1, 198.51.100.7' };
    assert.equal((await getFrom(behindProxy, { headers: forwarded })).status, 200);
  });

  test('behind a trusted proxy, each forwarded address has its own socket quota', async (t) => {
    const { port } = await startServer(t, ['--max-connections-per-ip', '1', '--trust-proxy']);
    /** @param {string} address */
    const via = (address) => ({ headers: { 'x-forwarded-for': address } });
    await TestPeer.join(port, makePeerId(newRoomId()), via('198.51.100.1'));
    await TestPeer.join(port, makePeerId(newRoomId()), via('198.51.100.2'));
    const peer = await TestPeer.connect(port, makePeerId(newRoomId()), via('198.51.100.1'));
    assert.deepEqual(await peer.next(), {
      type: 'ERROR',
      payload: { msg: 'too-many-connections' },
    });
  });
});
