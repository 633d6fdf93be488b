import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePeerId } from '../../src/room/room-id.js';
import { TestPeer, eventually, getJson, newRoomId, startServer } from './support.js';

describe('the /api routes', () => {
  test('health reports counts of peers and rooms, nothing more', async (t) => {
    const { port, origin } = await startServer(t);
    const roomA = newRoomId();
    await TestPeer.join(port, makePeerId(roomA));
    await TestPeer.join(port, makePeerId(roomA));
    await TestPeer.join(port, makePeerId(newRoomId()));
    await TestPeer.join(port, 'plainpeer');

    /** @type {import('./support.js').JsonAnswer<import('./support.js').HealthAnswer>} */
    const { response, body } = await getJson(`${origin}/api/health`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(Object.keys(body).sort(), ['ok', 'peers', 'rooms', 'uptimeSeconds']);
    assert.equal(body.ok, true);
    assert.equal(body.peers, 4);
    assert.equal(body.rooms, 2);
    assert.ok(Number.isInteger(body.uptimeSeconds) && body.uptimeSeconds >= 0);
  });

  test('config tells clients where PeerServer is and how big a room may be', async (t) => {
    const { origin } = await startServer(t, [
      '--path',
      '/signal',
      '--key',
      'sesame',
      '--max-room-size',
      '4',
    ]);
    const { body } = await getJson(`${origin}/api/config`);
    assert.deepEqual(body, {
      version: 1,
      peer: { path: '/signal', key: 'sesame' },
      maxRoomSize: 4,
      joinTokens: false,
    });
  });

  test("a room's member list shows exactly its connected peers and drops one that closes", async (t) => {
    const { port, origin } = await startServer(t);
    const roomId = newRoomId();
    const first = await TestPeer.join(port, makePeerId(roomId));
    const second = await TestPeer.join(port, makePeerId(roomId));
    await TestPeer.join(port, makePeerId(newRoomId()));
    await TestPeer.join(port, 'plainpeer');

    const { response, body } = await getJson(`${origin}/api/rooms/${roomId}/peers`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(body, { roomId, peers: [first.id, second.id], maxRoomSize: 8 });

    await first.close();
    await eventually(async () => {
      /** @type {import('./support.js').JsonAnswer<import('./support.js').PeersAnswer>} */
      const { body: after } = await getJson(`${origin}/api/rooms/${roomId}/peers`);
      assert.deepEqual(after.peers, [second.id]);
    });
  });

  test('a room nobody is in has an empty member list', async (t) => {
    const { origin } = await startServer(t);
    const roomId = newRoomId();
    const { body } = await getJson(`${origin}/api/rooms/${roomId}/peers`);
    assert.deepEqual(body, { roomId, peers: [], maxRoomSize: 8 });
  });

  for (const roomId of [
    'short',
    'has_underscore',
    'double--hyphen',
    '-leading',
    'x'.repeat(65),
    'with%20space',
  ]) {
    test(`a malformed room ID (${roomId.slice(0, 20)}) gets 400 with a message`, async (t) => {
      const { origin } = await startServer(t);
      /** @type {import('./support.js').JsonAnswer<import('./support.js').ErrorAnswer>} */
      const { response, body } = await getJson(`${origin}/api/rooms/${roomId}/peers`);
      assert.equal(response.status, 400);
      assert.equal(body.error, 'bad-room-id');
      assert.match(body.message, /room ID/);
    });
  }

  test('nothing lists the rooms or all the peers', async (t) => {
    const { port, origin } = await startServer(t);
    await TestPeer.join(port, makePeerId(newRoomId()));
    for (const path of ['/api/rooms', '/api/rooms/', '/api/peers']) {
      /** @type {import('./support.js').JsonAnswer<import('./support.js').ErrorAnswer>} */
      const { response, body } = await getJson(`${origin}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal(body.error, 'not-found');
    }
    const discovery = await fetch(`${origin}/peerjs/peerjs/peers`);
    assert.equal(discovery.status, 401);
  });

  test('an unknown /api route answers 404 in JSON', async (t) => {
    const { origin } = await startServer(t);
    const { response, body } = await getJson(`${origin}/api/nope`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.deepEqual(body, { error: 'not-found', message: 'No such API route.' });
  });

  test('an error thrown in a route becomes a JSON 500 and the server carries on', async (t) => {
    const { origin, rooms, logs } = await startServer(t);
    const peersOf = rooms.peersOf;
    rooms.peersOf = () => {
      throw new Error('registry exploded');
    };
    const { response, body } = await getJson(`${origin}/api/rooms/${newRoomId()}/peers`);
    assert.equal(response.status, 500);
    assert.deepEqual(body, { error: 'internal', message: 'Internal server error.' });
    assert.ok(logs.some((line) => JSON.stringify(line).includes('registry exploded')));

    rooms.peersOf = peersOf;
    assert.equal((await fetch(`${origin}/api/health`)).status, 200);
  });

  test('a request the server cannot decode gets a JSON 400', async (t) => {
    const { origin } = await startServer(t);
    /** @type {import('./support.js').JsonAnswer<import('./support.js').ErrorAnswer>} */
    const { response, body } = await getJson(`${origin}/api/rooms/%E0%A4%A/peers`);
    assert.equal(response.status, 400);
    assert.equal(body.error, 'bad-request');
  });

  test('/api follows --allowed-origins for CORS', async (t) => {
    const { origin } = await startServer(t, [
      '--allowed-origins',
      'https://app.example,https://other.example',
    ]);
    const allowed = await fetch(`${origin}/api/config`, {
      headers: { origin: 'https://other.example' },
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://other.example');
    assert.match(allowed.headers.get('vary') ?? '', /Origin/);

    // Refused for real, in a way the refused page can read (so it says why).
    const refused = await fetch(`${origin}/api/config`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(refused.status, 403);
    assert.equal(
      /** @type {import('./support.js').ErrorAnswer} */ (await refused.json()).error,
      'origin-not-allowed',
    );
    assert.equal(refused.headers.get('access-control-allow-origin'), 'https://evil.example');

    const preflight = await fetch(`${origin}/api/ice`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example');
  });

  test('any origin may use /api by default', async (t) => {
    const { origin } = await startServer(t);
    const response = await fetch(`${origin}/api/health`, {
      headers: { origin: 'https://anywhere.example' },
    });
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
  });

  test('responses carry cheap security headers', async (t) => {
    const { origin } = await startServer(t);
    const response = await fetch(`${origin}/api/health`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('x-powered-by'), null);
  });
});
