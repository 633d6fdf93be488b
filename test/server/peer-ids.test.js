import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePeerId } from '../../src/room/room-id.js';
import {
  JOIN_SECRET,
  TestPeer,
  eventually,
  getJson,
  newRoomId,
  signJoinToken,
  startServer,
} from './support.js';

describe('a peer ID belongs to whoever first registered it', () => {
  test("an attacker who watches the member list cannot take a dropped visitor's place", async (t) => {
    const { port, origin, rooms } = await startServer(t);
    const roomId = newRoomId();
    const victim = await TestPeer.join(port, makePeerId(roomId), { token: 'victims-own-token' });

    // The attacker polls the member list and waits for the victim's socket to drop.
    /** @type {import('./support.js').JsonAnswer<import('./support.js').PeersAnswer>} */
    const listed = await getJson(`${origin}/api/rooms/${roomId}/peers`);
    assert.deepEqual(listed.body.peers, [victim.id]);
    victim.socket.terminate();
    await eventually(() => assert.equal(rooms.isConnected(victim.id), false));

    const attacker = await TestPeer.connect(port, victim.id, { token: 'any-other-token' });
    assert.deepEqual(await attacker.next(), {
      type: 'ID-TAKEN',
      payload: { msg: 'ID is taken' },
    });
    await attacker.closed;
    assert.equal(rooms.isConnected(victim.id), false, 'the attacker holds nothing');

    // A newcomer's offer to the victim's ID reaches nobody meanwhile.
    const newcomer = await TestPeer.join(port, makePeerId(roomId));
    newcomer.send({ type: 'OFFER', dst: victim.id, payload: { sdp: 'secret' } });
    assert.deepEqual(await newcomer.next(), { type: 'EXPIRE', src: victim.id, dst: newcomer.id });
    assert.deepEqual(attacker.unread, []);

    // The visitor comes back with its own token and gets its place and its offers.
    const back = await TestPeer.join(port, victim.id, { token: 'victims-own-token' });
    newcomer.send({ type: 'OFFER', dst: victim.id, payload: { sdp: 'for-the-victim' } });
    assert.deepEqual((await back.next()).payload, { sdp: 'for-the-victim' });
  });

  test('the ID is free for anyone once the grace period is over', async (t) => {
    const { port, rooms } = await startServer(t, [], { reclaimGraceMs: 50 });
    const id = makePeerId(newRoomId());
    const first = await TestPeer.join(port, id, { token: 'first' });
    await first.close();
    await eventually(() => assert.equal(rooms.isConnected(id), false));
    await eventually(() => TestPeer.join(port, id, { token: 'second' }));
  });

  test('the owner takes its ID back with a renewed join token, even while its old socket lingers', async (t) => {
    const { port, rooms } = await startServer(t, ['--join-secret', JOIN_SECRET]);
    const roomId = newRoomId();
    const id = makePeerId(roomId);
    const first = await signJoinToken({ room: roomId });
    const renewed = await signJoinToken({ room: roomId, name: 'renewed' });
    assert.notEqual(first, renewed);

    const stale = await TestPeer.join(port, id, { token: `visitor.${first}` });
    const other = await TestPeer.join(port, makePeerId(roomId), { token: `other.${first}` });
    // Its old socket is still registered (a half-open connection) when it comes back.
    const fresh = await TestPeer.join(port, id, { token: `visitor.${renewed}` });
    await stale.closed;
    assert.ok(rooms.isConnected(id));
    other.send({ type: 'OFFER', dst: id, payload: {} });
    assert.equal((await fresh.next()).src, other.id);

    // After a drop, the same client secret with a renewed token gets the ID back too...
    fresh.socket.terminate();
    await eventually(() => assert.equal(rooms.isConnected(id), false));
    await TestPeer.join(port, id, { token: `visitor.${first}` });
    // ...and another holder of a valid token for the room does not.
    const intruder = await TestPeer.connect(port, makePeerId(roomId), { token: `x.${first}` });
    assert.equal((await intruder.next()).type, 'OPEN', 'a fresh ID is fine');
    const thief = await TestPeer.connect(port, id, { token: `thief.${renewed}` });
    assert.equal((await thief.next()).type, 'ID-TAKEN');
  });
});
