import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { describe, test } from 'node:test';
import { RateLimiter } from '../../server/rate-limiter.js';
import { clientAddress, forgetPeerAddress } from '../../server/client-address.js';

describe('RateLimiter', () => {
  test('grants a burst, then says how long to wait, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 2, now: () => now });
    assert.deepEqual([limiter.take('a'), limiter.take('a')], [0, 0]);
    assert.equal(limiter.take('a'), 1000);
    assert.equal(limiter.take('b'), 0, 'another key has its own bucket');
    now += 1000;
    assert.equal(limiter.take('a'), 0);
  });

  test('forgets keys whose bucket has filled up again', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 2, now: () => now });
    for (let i = 0; i < 100; i++) limiter.take(`key${i}`);
    assert.equal(limiter.size, 100);
    now += 2000;
    limiter.take('late');
    assert.equal(limiter.size, 1);
  });
});

describe('clientAddress', () => {
  /**
   * @param {string} remoteAddress
   * @param {string} [forwarded]
   */
  const request = (remoteAddress, forwarded) =>
    /** @type {import('node:http').IncomingMessage} */ (
      /** @type {unknown} */ ({
        socket: { remoteAddress },
        headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
      })
    );

  for (const [name, req, hops, expected] of /** @type {const} */ ([
    ['the socket address without a trusted proxy', request('10.0.0.1', '1.2.3.4'), 0, '10.0.0.1'],
    ['an IPv4 address mapped into IPv6 as IPv4', request('::ffff:127.0.0.2'), 0, '127.0.0.2'],
    ['the entry the proxy added', request('10.0.0.1', '6.6.6.6, 1.2.3.4'), 1, '1.2.3.4'],
    [
      'the entry the outer of two proxies added',
      request('10.0.0.1', '6.6.6.6, 1.2.3.4, 10.0.0.9'),
      2,
      '1.2.3.4',
    ],
    ['the socket address when the header is missing', request('10.0.0.1'), 1, '10.0.0.1'],
    [
      'the socket address when the entry is no address',
      request('10.0.0.1', 'unknown'),
      1,
      '10.0.0.1',
    ],
  ])) {
    test(`gives ${name}`, () => assert.equal(clientAddress(req, hops), expected));
  }

  test('a socket that forgot the address it read still reads it', async (t) => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    t.after(() => server.close());
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    const outgoing = connect(port, '127.0.0.1');
    t.after(() => outgoing.destroy());
    const [socket] = /** @type {[import('node:net').Socket]} */ (await once(server, 'connection'));
    t.after(() => socket.destroy());
    const request = /** @type {import('node:http').IncomingMessage} */ (
      /** @type {unknown} */ ({ socket, headers: {} })
    );
    const address = clientAddress(request, 0);
    forgetPeerAddress(socket);
    assert.equal(address, '127.0.0.1');
    assert.equal(socket.remoteAddress, '127.0.0.1');
  });
});
