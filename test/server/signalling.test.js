import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makePeerId } from '../../src/room/room-id.js';
import { TestPeer, WARN, eventually, newRoomId, startServer } from './support.js';

const OFFER_PAYLOAD = { type: 'media', sdp: { type: 'offer', sdp: 'v=0' }, connectionId: 'mc_1' };

describe('signalling', () => {
  test('two plain PeerJS peers exchange OFFER, ANSWER and CANDIDATE through the server', async (t) => {
    const { port } = await startServer(t);
    const alice = await TestPeer.join(port, 'alice');
    const bob = await TestPeer.join(port, 'bob');

    alice.send({ type: 'OFFER', dst: 'bob', payload: OFFER_PAYLOAD });
    assert.deepEqual(await bob.next(), {
      type: 'OFFER',
      src: 'alice',
      dst: 'bob',
      payload: OFFER_PAYLOAD,
    });
    bob.send({ type: 'ANSWER', dst: 'alice', payload: { sdp: 'answer' } });
    assert.deepEqual(await alice.next(), {
      type: 'ANSWER',
      src: 'bob',
      dst: 'alice',
      payload: { sdp: 'answer' },
    });
    bob.send({ type: 'CANDIDATE', dst: 'alice', payload: { candidate: 'c' } });
    assert.deepEqual(await alice.next(), {
      type: 'CANDIDATE',
      src: 'bob',
      dst: 'alice',
      payload: { candidate: 'c' },
    });
  });

  test('OPEN names everyone in the room as a peer registers, itself last, and no one elsewhere', async (t) => {
    const { port } = await startServer(t);
    const roomId = newRoomId();
    const [first, second, third] = [makePeerId(roomId), makePeerId(roomId), makePeerId(roomId)];
    /**
     * @param {string} id
     * @param {string} [token]
     */
    const opened = async (id, token) => {
      const peer = await TestPeer.connect(port, id, token ? { token } : {});
      return { peer, open: await peer.next() };
    };
    assert.deepEqual((await opened(first)).open, { type: 'OPEN', payload: { peers: [first] } });
    await TestPeer.join(port, makePeerId(newRoomId()));
    const { open: secondOpen } = await opened(second, 'second-token');
    assert.deepEqual(secondOpen.payload, { peers: [first, second] });
    const { peer: thirdPeer, open: thirdOpen } = await opened(third);
    assert.deepEqual(thirdOpen.payload, { peers: [first, second, third] });
    // Re-attaching (PeerJS's reconnect) names the room too, the peer in its place.
    const { open: again } = await opened(second, 'second-token');
    assert.deepEqual(again.payload, { peers: [first, second, third] });
    // A plain PeerJS peer, in no room, gets PeerServer's bare OPEN.
    assert.deepEqual((await opened('plain-peer')).open, { type: 'OPEN' });
    thirdPeer.socket.close();
  });

  test('a stranger refused at the door learns nobody in the room from it', async (t) => {
    const { port, rooms } = await startServer(t, [
      '--allowed-origins',
      'https://app.example',
      '--max-connections-per-ip',
      '3',
    ]);
    const page = { origin: 'https://app.example' };
    const roomId = newRoomId();
    const member = await TestPeer.join(port, makePeerId(roomId), page);
    const dropped = await TestPeer.join(port, makePeerId(roomId), { ...page, token: 'own' });
    dropped.socket.terminate();
    await eventually(() => assert.equal(rooms.isConnected(dropped.id), false));
    // Three sockets from 127.0.0.2 fill its share; the next is refused.
    for (let i = 0; i < 3; i++) {
      await TestPeer.join(port, makePeerId(newRoomId()), { ...page, from: '127.0.0.2' });
    }

    /** @type {[string, string, import('./support.js').ConnectOptions][]} */
    const attempts = [
      ['no Origin', makePeerId(roomId), {}],
      ['a forged Origin', makePeerId(roomId), { origin: 'https://evil.example' }],
      ["a dropped visitor's ID", dropped.id, { ...page, token: 'theirs' }],
      ['a fourth socket from 127.0.0.2', makePeerId(roomId), { ...page, from: '127.0.0.2' }],
    ];
    for (const [what, id, options] of attempts) {
      const stranger = await TestPeer.connect(port, /** @type {string} */ (id), options);
      const frame = await stranger.next();
      assert.notEqual(frame.type, 'OPEN', what);
      assert.ok(!JSON.stringify(frame).includes(member.id), `${what}: ${JSON.stringify(frame)}`);
      await stranger.closed;
      assert.deepEqual(stranger.unread, [], `${what}: nothing after the refusal`);
    }
    // Whoever gets in is told the room as it is: the member, not the strangers nor the dropped.
    const newcomer = await TestPeer.connect(port, makePeerId(roomId), page);
    assert.deepEqual((await newcomer.next()).payload, { peers: [member.id, newcomer.id] });
  });

  test('the sender cannot pose as another peer: src is always its own ID', async (t) => {
    const { port } = await startServer(t);
    const alice = await TestPeer.join(port, 'alice');
    const bob = await TestPeer.join(port, 'bob');
    alice.send({ type: 'OFFER', src: 'mallory', dst: 'bob', payload: {} });
    assert.equal((await bob.next()).src, 'alice');
  });

  test('a client with the wrong key is refused', async (t) => {
    const { port, rooms } = await startServer(t, ['--key', 'sesame']);
    const peer = await TestPeer.connect(port, 'alice', { key: 'peerjs' });
    assert.deepEqual(await peer.next(), {
      type: 'ERROR',
      payload: { msg: 'Invalid key provided' },
    });
    await peer.closed;
    assert.equal(rooms.isConnected('alice'), false);
    await TestPeer.join(port, 'alice', { key: 'sesame' });
  });

  test('signalling never crosses from one room to another, nor between a room and plain peers', async (t) => {
    const { port } = await startServer(t);
    const roomA = newRoomId();
    const roomB = newRoomId();
    const inA = await TestPeer.join(port, makePeerId(roomA));
    const inB = await TestPeer.join(port, makePeerId(roomB));
    const plain = await TestPeer.join(port, 'plainpeer');

    for (const type of ['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE']) {
      inA.send({ type, dst: inB.id, payload: {} });
      inA.send({ type, dst: plain.id, payload: {} });
      plain.send({ type, dst: inB.id, payload: {} });
    }
    await inA.roundTrip();
    await plain.roundTrip();

    assert.deepEqual(inB.unread, []);
    assert.deepEqual(plain.unread, []);
    assert.deepEqual(inA.unread, []);
  });

  test("signalling never reaches a room whose ID begins with the sender's room ID", async (t) => {
    const { port } = await startServer(t);
    const roomA = newRoomId();
    const sender = await TestPeer.join(port, makePeerId(roomA));
    const mate = await TestPeer.join(port, makePeerId(roomA));
    const neighbour = await TestPeer.join(port, makePeerId(`${roomA}-2`));

    sender.send({ type: 'OFFER', dst: neighbour.id, payload: {} });
    sender.send({ type: 'OFFER', dst: `${roomA}_${neighbour.id}`, payload: {} });
    sender.send({ type: 'OFFER', dst: mate.id, payload: { n: 1 } });
    await sender.roundTrip();

    assert.deepEqual(neighbour.unread, []);
    assert.deepEqual(mate.unread, [
      { type: 'OFFER', src: sender.id, dst: mate.id, payload: { n: 1 } },
    ]);
  });

  test('a frame that names dst twice, or spells it with escapes, reaches only the dst it was checked for', async (t) => {
    const { port } = await startServer(t);
    const roomA = newRoomId();
    const sender = await TestPeer.join(port, makePeerId(roomA));
    const mate = await TestPeer.join(port, makePeerId(roomA));
    const stranger = await TestPeer.join(port, makePeerId(newRoomId()));

    sender.send(`{"type":"OFFER","dst":"${mate.id}","dst":"${stranger.id}","payload":{}}`);
    sender.send(`{"type":"OFFER","d\\u0073t":"${stranger.id}","payload":{}}`);
    sender.send(`{"type":"OFFER","dst":"${mate.id}","payload":{},"d\\u0073t":"${stranger.id}"}`);
    sender.send(`{"type":"OFFER","dst":"${stranger.id}","dst":"${mate.id}","payload":{"n":1}}`);
    await sender.roundTrip();

    assert.deepEqual(mate.unread, [
      { type: 'OFFER', src: sender.id, dst: mate.id, payload: { n: 1 } },
    ]);
    assert.deepEqual(stranger.unread, []);
  });

  test('a burst within the rate limit to two peers reaches each whole and in order', async (t) => {
    const { port } = await startServer(t);
    const roomId = newRoomId();
    const sender = await TestPeer.join(port, makePeerId(roomId));
    const first = await TestPeer.join(port, makePeerId(roomId));
    const second = await TestPeer.join(port, makePeerId(roomId));

    for (let n = 0; n < 140; n++) {
      for (const peer of [first, second]) {
        sender.send({ type: 'CANDIDATE', dst: peer.id, payload: { n } });
      }
    }
    const expected = Array.from({ length: 140 }, (_, n) => n);
    await eventually(() => {
      for (const peer of [first, second]) {
        assert.deepEqual(
          peer.unread.map((message) => /** @type {{ n: number }} */ (message.payload).n),
          expected,
        );
      }
    });
  });

  test('a message to a peer that is not connected gets one EXPIRE back and is not queued', async (t) => {
    const { port } = await startServer(t);
    const roomId = newRoomId();
    const caller = await TestPeer.join(port, makePeerId(roomId));
    const absentId = makePeerId(roomId);

    caller.send({ type: 'OFFER', dst: absentId, payload: OFFER_PAYLOAD });
    for (let i = 0; i < 5; i++) caller.send({ type: 'CANDIDATE', dst: absentId, payload: { i } });
    caller.send({ type: 'LEAVE', dst: absentId });
    assert.deepEqual(await caller.next(), { type: 'EXPIRE', src: absentId, dst: caller.id });
    await caller.roundTrip();
    assert.deepEqual(caller.unread, []);

    const late = await TestPeer.join(port, absentId);
    await caller.roundTrip();
    assert.deepEqual(late.unread, [], 'nothing was kept for the peer that came later');
  });

  test('a heartbeat that asks for one back gets one, and a plain heartbeat gets nothing', async (t) => {
    const { port } = await startServer(t);
    const peer = await TestPeer.join(port, makePeerId(newRoomId()));
    peer.send({ type: 'HEARTBEAT' });
    await peer.roundTrip();
    assert.deepEqual(peer.unread, []);
    peer.send({ type: 'HEARTBEAT', probe: true });
    assert.deepEqual(await peer.next(), { type: 'HEARTBEAT' });
  });

  test('malformed frames are dropped without a crash and the server keeps relaying', async (t) => {
    const { port, rooms, logs } = await startServer(t);
    const roomId = newRoomId();
    const sender = await TestPeer.join(port, makePeerId(roomId));
    const receiver = await TestPeer.join(port, makePeerId(roomId));

    const garbage = [
      'not json',
      '{"type":"OFFER",',
      Buffer.from([0, 1, 2, 255, 254]),
      Buffer.from(JSON.stringify({ type: 'OFFER', dst: receiver.id, payload: {} })),
      'null',
      '42',
      '"OFFER"',
      JSON.stringify([{ type: 'OFFER', dst: receiver.id }]),
      JSON.stringify({ type: 'SOMETHING', dst: receiver.id }),
      JSON.stringify({ type: 'EXPIRE', dst: receiver.id }),
      JSON.stringify({ type: 'OPEN', dst: receiver.id }),
      JSON.stringify({ type: 'OFFER' }),
      JSON.stringify({ type: 'OFFER', dst: 42 }),
      JSON.stringify({ type: 'OFFER', dst: 'not a valid id!' }),
      JSON.stringify({ type: 'LEAVE' }),
    ];
    for (const frame of garbage) sender.send(frame);
    sender.send({ type: 'HEARTBEAT' });
    sender.send({ type: 'OFFER', dst: receiver.id, payload: { n: 1 } });

    assert.deepEqual(await receiver.next(), {
      type: 'OFFER',
      src: sender.id,
      dst: receiver.id,
      payload: { n: 1 },
    });
    await sender.roundTrip();
    assert.deepEqual(receiver.unread, []);
    assert.ok(rooms.isConnected(sender.id), 'a LEAVE without dst does not de-register the sender');
    assert.deepEqual(
      logs.filter((line) => line.level >= WARN),
      [],
    );
  });

  test('a frame over 64 KiB closes that socket and the server goes on', async (t) => {
    const { port, logs } = await startServer(t);
    const roomId = newRoomId();
    const bulky = await TestPeer.join(port, makePeerId(roomId));
    const other = await TestPeer.join(port, makePeerId(roomId));

    bulky.send({ type: 'OFFER', dst: other.id, payload: 'x'.repeat(1024 * 1024) });
    assert.equal((await bulky.closed).code, 1009);

    const newcomer = await TestPeer.join(port, makePeerId(roomId));
    newcomer.send({ type: 'OFFER', dst: other.id, payload: {} });
    assert.equal((await other.next()).src, newcomer.id);
    assert.ok(
      logs.some((line) => /max payload/i.test(JSON.stringify(line))),
      'the error was logged',
    );
  });

  test('a socket that floods is closed with 1008 while another peer of the room carries on', async (t) => {
    const { port, rooms } = await startServer(t);
    const roomId = newRoomId();
    const flooder = await TestPeer.join(port, makePeerId(roomId));
    const target = await TestPeer.join(port, makePeerId(roomId));
    const bystander = await TestPeer.join(port, makePeerId(roomId));

    for (let i = 0; i < 2000; i++)
      flooder.send({ type: 'CANDIDATE', dst: target.id, payload: { i } });
    assert.equal((await flooder.closed).code, 1008);
    await eventually(() => assert.equal(rooms.isConnected(flooder.id), false));

    bystander.send({ type: 'OFFER', dst: target.id, payload: { from: 'bystander' } });
    await eventually(() => {
      assert.ok(target.unread.some((message) => message.src === bystander.id));
    });
    const relayed = target.unread.filter((message) => message.src === flooder.id).length;
    assert.ok(relayed >= 300 && relayed < 1000, `relayed ${relayed} of 2000 flooded messages`);
  });

  test('re-attaching with the same ID and token while the stale socket is open gets OPEN', async (t) => {
    const { port, rooms } = await startServer(t);
    const roomId = newRoomId();
    const id = makePeerId(roomId);
    const stale = await TestPeer.join(port, id, { token: 'secret-token' });
    const other = await TestPeer.join(port, makePeerId(roomId));

    const fresh = await TestPeer.join(port, id, { token: 'secret-token' });
    await stale.closed;
    assert.deepEqual(rooms.peersOf(roomId), [id, other.id]);

    other.send({ type: 'OFFER', dst: id, payload: {} });
    assert.equal((await fresh.next()).src, other.id);
    fresh.send({ type: 'ANSWER', dst: other.id, payload: {} });
    assert.equal((await other.next()).src, id);
  });

  test('the same ID with another token gets ID-TAKEN', async (t) => {
    const { port } = await startServer(t);
    const id = makePeerId(newRoomId());
    const owner = await TestPeer.join(port, id, { token: 'mine' });
    const impostor = await TestPeer.connect(port, id, { token: 'theirs' });
    assert.equal((await impostor.next()).type, 'ID-TAKEN');
    await impostor.closed;
    assert.equal(owner.socket.readyState, owner.socket.OPEN);
  });

  test('a room at its maximum size refuses one more peer with room-full', async (t) => {
    const { port } = await startServer(t, ['--max-room-size', '2']);
    const roomId = newRoomId();
    const first = await TestPeer.join(port, makePeerId(roomId));
    await TestPeer.join(port, makePeerId(roomId));

    const third = await TestPeer.connect(port, makePeerId(roomId));
    assert.deepEqual(await third.next(), { type: 'ERROR', payload: { msg: 'room-full' } });
    await third.closed;

    await TestPeer.join(port, makePeerId(newRoomId()));
    await TestPeer.join(port, 'plainpeer');
    await first.close();
    await eventually(() => TestPeer.join(port, makePeerId(roomId)));
  });

  test('an ID that PeerJS would not accept is refused with invalid-id', async (t) => {
    const { port, rooms } = await startServer(t);
    for (const id of ['bad!id', '_leading', 'trailing-', 'two__underscores']) {
      const peer = await TestPeer.connect(port, id);
      assert.deepEqual(await peer.next(), { type: 'ERROR', payload: { msg: 'invalid-id' } });
      await peer.closed;
    }
    assert.equal(rooms.peerCount, 0);
  });

  test('a socket from an origin that is not allowed is refused', async (t) => {
    const { port } = await startServer(t, ['--allowed-origins', 'https://app.example']);
    const foreign = await TestPeer.connect(port, 'alice', { origin: 'https://evil.example' });
    assert.deepEqual(await foreign.next(), {
      type: 'ERROR',
      payload: { msg: 'origin-not-allowed' },
    });
    await foreign.closed;

    await TestPeer.join(port, 'alice', { origin: 'https://app.example' });
  });

  test('PeerServer follows --path', async (t) => {
    const { port } = await startServer(t, ['--path', '/signal']);
    const alice = await TestPeer.join(port, 'alice', { path: '/signal' });
    const bob = await TestPeer.join(port, 'bob', { path: '/signal' });
    alice.send({ type: 'OFFER', dst: 'bob', payload: {} });
    assert.equal((await bob.next()).src, 'alice');
  });
});
