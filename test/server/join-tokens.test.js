import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePeerId } from '../../src/room/room-id.js';
import {
  JOIN_SECRET,
  TestPeer,
  getJson,
  newRoomId,
  signJoinToken,
  startServer,
} from './support.js';

const SECRET_FLAGS = ['--join-secret', JOIN_SECRET];

/** A client secret as the element makes it: what its peer ID is bound to. */
const clientSecret = () => crypto.randomUUID().replaceAll('-', '');

/**
 * Registers `id` with a join token and expects `msg` in an ERROR.
 * @param {number} port
 * @param {string} id
 * @param {string} token the whole PeerServer token
 * @param {string} msg
 */
async function expectRefusal(port, id, token, msg) {
  const peer = await TestPeer.connect(port, id, { token });
  assert.deepEqual(await peer.next(), { type: 'ERROR', payload: { msg } });
  assert.equal((await peer.closed).code, 1008);
}

describe('join tokens', () => {
  test('a peer registers only with a valid token for its own room', async (t) => {
    const { port, rooms } = await startServer(t, SECRET_FLAGS);
    const roomId = newRoomId();
    const id = makePeerId(roomId);
    const valid = await signJoinToken({ room: roomId, name: 'Ada' });
    const expired = await signJoinToken({ room: roomId }, { expiresIn: -10 });
    const forged = await signJoinToken(
      { room: roomId },
      { secret: 'another-secret-of-32-characters!!' },
    );
    const otherRoom = await signJoinToken({ room: newRoomId() });
    const wrongAlgorithm = await signJoinToken({ room: roomId }, { algorithm: 'HS512' });
    const noExpiry = await signJoinToken({ room: roomId }, { expiresIn: null });

    await expectRefusal(port, id, clientSecret(), 'unauthorized');
    await expectRefusal(port, id, `${clientSecret()}.not-a-jwt`, 'unauthorized');
    await expectRefusal(port, id, `${clientSecret()}.${expired}`, 'token-expired');
    await expectRefusal(port, id, `${clientSecret()}.${forged}`, 'unauthorized');
    await expectRefusal(port, id, `${clientSecret()}.${otherRoom}`, 'unauthorized');
    await expectRefusal(port, id, `${clientSecret()}.${wrongAlgorithm}`, 'unauthorized');
    await expectRefusal(port, id, `${clientSecret()}.${noExpiry}`, 'unauthorized');
    // A valid token with no client secret in front: nothing to bind the ID to.
    await expectRefusal(port, id, `.${valid}`, 'unauthorized');
    // A plain peer outside every room cannot hold a token for it.
    await expectRefusal(port, 'plainpeer', `${clientSecret()}.${valid}`, 'unauthorized');
    assert.equal(rooms.peerCount, 0, 'nobody got in');

    await TestPeer.join(port, id, { token: `${clientSecret()}.${valid}` });
    assert.deepEqual(rooms.peersOf(roomId), [id]);
  });

  test("a token's maxPeers makes the room smaller for whoever holds it", async (t) => {
    const { port } = await startServer(t, SECRET_FLAGS);
    const roomId = newRoomId();
    const token = await signJoinToken({ room: roomId, maxPeers: 2 });
    for (let i = 0; i < 2; i++) {
      await TestPeer.join(port, makePeerId(roomId), { token: `${clientSecret()}.${token}` });
    }
    await expectRefusal(port, makePeerId(roomId), `${clientSecret()}.${token}`, 'room-full');
  });

  test('the /api routes about a room want its token; nothing else is learned without one', async (t) => {
    const { port, origin } = await startServer(t, [
      ...SECRET_FLAGS,
      '--turn-secret',
      'turn-secret',
      '--turn-urls',
      'turn:127.0.0.1:3478',
    ]);
    const roomId = newRoomId();
    const token = await signJoinToken({ room: roomId });
    const member = await TestPeer.join(port, makePeerId(roomId), {
      token: `${clientSecret()}.${token}`,
    });
    const expired = await signJoinToken({ room: roomId }, { expiresIn: -10 });
    const forged = await signJoinToken(
      { room: roomId },
      { secret: 'another-secret-of-32-characters!!' },
    );
    const otherRoom = await signJoinToken({ room: newRoomId() });
    /** @param {string | null} bearer */
    const auth = (bearer) => (bearer ? { headers: { authorization: `Bearer ${bearer}` } } : {});

    for (const path of [`/api/rooms/${roomId}/peers`, `/api/ice?room=${roomId}`]) {
      for (const [bearer, error] of /** @type {const} */ ([
        [null, 'unauthorized'],
        ['garbage', 'unauthorized'],
        [forged, 'unauthorized'],
        [otherRoom, 'unauthorized'],
        [expired, 'token-expired'],
      ])) {
        /** @type {import('./support.js').JsonAnswer<import('./support.js').ErrorAnswer>} */
        const { response, body } = await getJson(`${origin}${path}`, auth(bearer));
        assert.equal(response.status, 401, `${path} with ${error}`);
        assert.equal(response.headers.get('www-authenticate'), 'Bearer');
        assert.deepEqual(Object.keys(body).sort(), ['error', 'message']);
        assert.equal(body.error, error);
        assert.doesNotMatch(JSON.stringify(body), /turn:|peers|_/);
      }
    }
    /** @type {import('./support.js').JsonAnswer<import('./support.js').PeersAnswer>} */
    const peers = await getJson(`${origin}/api/rooms/${roomId}/peers`, auth(token));
    assert.deepEqual(peers.body.peers, [member.id]);
    /** @type {import('./support.js').JsonAnswer<import('./support.js').IceAnswer>} */
    const ice = await getJson(`${origin}/api/ice?room=${roomId}`, auth(token));
    assert.equal(ice.body.iceServers.at(-1)?.urls[0], 'turn:127.0.0.1:3478');
    // Without ?room= the token's own room is the one asked about.
    assert.equal((await getJson(`${origin}/api/ice`, auth(token))).response.status, 200);
    // Configuration says that tokens are needed, nothing more.
    /** @type {import('./support.js').JsonAnswer<import('./support.js').ConfigAnswer>} */
    const config = await getJson(`${origin}/api/config`);
    assert.equal(config.body.joinTokens, true);
  });

  test('without a join secret rooms stay open to whoever knows the ID', async (t) => {
    const { port, origin } = await startServer(t);
    const roomId = newRoomId();
    await TestPeer.join(port, makePeerId(roomId));
    const { response } = await getJson(`${origin}/api/rooms/${roomId}/peers`);
    assert.equal(response.status, 200);
  });
});
