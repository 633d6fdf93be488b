import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePeerId } from '../../src/room/room-id.js';
import { TestPeer, getFrom, newRoomId, startServer } from './support.js';

const ALLOWED = ['--allowed-origins', 'https://app.example'];

describe('--allowed-origins', () => {
  test('refuses a socket that sends no Origin, unless --allow-no-origin', async (t) => {
    const strict = await startServer(t, ALLOWED);
    const bare = await TestPeer.connect(strict.port, makePeerId(newRoomId()));
    assert.deepEqual(await bare.next(), { type: 'ERROR', payload: { msg: 'origin-not-allowed' } });
    await bare.closed;
    assert.equal(strict.rooms.peerCount, 0);

    const lenient = await startServer(t, [...ALLOWED, '--allow-no-origin']);
    await TestPeer.join(lenient.port, makePeerId(newRoomId()));
    const foreign = await TestPeer.connect(lenient.port, makePeerId(newRoomId()), {
      origin: 'https://evil.example',
    });
    assert.equal((await foreign.next()).type, 'ERROR', 'a foreign Origin is still refused');
  });

  test("accepts the server's own pages (same host) and the listed origins", async (t) => {
    const { port } = await startServer(t, ALLOWED);
    await TestPeer.join(port, makePeerId(newRoomId()), { origin: `http://127.0.0.1:${port}` });
    await TestPeer.join(port, makePeerId(newRoomId()), { origin: 'https://app.example' });
  });

  test('refuses an /api call with no Origin, except a same-origin fetch and the health check', async (t) => {
    const strict = await startServer(t, ALLOWED);
    const peers = `${strict.origin}/api/rooms/${newRoomId()}/peers`;
    const refused = await getFrom(peers);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, 'origin-not-allowed');
    assert.equal(
      (await getFrom(peers, { headers: { 'sec-fetch-site': 'same-origin' } })).status,
      200,
    );
    assert.equal((await getFrom(`${strict.origin}/api/health`)).status, 200);
    const ownPage = { origin: strict.origin };
    assert.equal((await getFrom(peers, { headers: ownPage })).status, 200);

    const lenient = await startServer(t, [...ALLOWED, '--allow-no-origin']);
    assert.equal((await getFrom(`${lenient.origin}/api/rooms/${newRoomId()}/peers`)).status, 200);
  });

  test('a refused page may still read the preflight and the refusal, so it can say why', async (t) => {
    const { origin } = await startServer(t, ALLOWED);
    const preflight = await fetch(`${origin}/api/ice`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.equal(preflight.status, 204);
    const refusal = await fetch(`${origin}/api/ice`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(refusal.status, 403);
    assert.equal(refusal.headers.get('access-control-allow-origin'), 'https://evil.example');
    assert.deepEqual(await refusal.json(), {
      error: 'origin-not-allowed',
      message: 'This origin may not use this server.',
    });
  });
});
