// The server's rooms on a real Janus, and what a stranger with a raw Janus client can do there.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { makePeerId } from '../../src/room/room-id.js';
import { parseRoomNotice } from '../../src/room/room-protocol.js';
import { instanceFor, signJanusToken, SfuRooms } from '../../server/janus/sfu-rooms.js';
import { joinWithTicket, rawJanus, rawVideoRoom, startJanus } from './janus-support.js';
import { TestPeer, startServer } from './support.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * The server's rooms on one test Janus.
 * @param {import('node:test').TestContext} t
 */
async function sfuOnJanus(t) {
  const janus = await startJanus(t);
  const rooms = new SfuRooms({
    instances: [{ url: janus.url, publicUrl: janus.url }],
    apiSecret: janus.apiSecret,
    tokenSecret: janus.tokenSecret,
    adminKey: janus.adminKey,
    maxRoomSize: 50,
  });
  t.after(() => rooms.close());
  return { janus, rooms };
}

describe('rooms on Janus', () => {
  test('an admitted visitor joins its private room with its tickets; the last one out destroys it', async (t) => {
    const { janus, rooms } = await sfuOnJanus(t);
    const ticket = await rooms.admit('our-room', 'our-room_a');
    assert.equal(ticket.url, janus.url);
    assert.doesNotMatch(ticket.room, /our-room/, 'Janus never learns the room’s own ID');
    const { client: visitor, joined } = await joinWithTicket(t, ticket, 'our-room_a');
    assert.equal(joined.videoroom, 'joined');
    assert.deepEqual(
      (await visitor.room({ request: 'list' })).list,
      [],
      'a private room is unlisted',
    );
    await rooms.admit('our-room', 'our-room_b');
    await rooms.depart('our-room', 'our-room_b');
    assert.equal((await visitor.room({ request: 'exists', room: ticket.room })).exists, true);
    await rooms.depart('our-room', 'our-room_a');
    assert.equal((await visitor.room({ request: 'exists', room: ticket.room })).exists, false);
    assert.equal(rooms.has('our-room'), false);
  });

  test('without a token, with an expired one or one signed with another secret, Janus says no', async (t) => {
    const { janus } = await sfuOnJanus(t);
    const stranger = await rawJanus(janus.url);
    t.after(() => stranger.close());
    for (const auth of [
      {},
      { token: signJanusToken(janus.tokenSecret, now() - 5) },
      { token: signJanusToken('another secret', now() + 60) },
      { apisecret: 'a guess' },
    ]) {
      const reply = await stranger.ask({ janus: 'create', ...auth });
      assert.equal(reply.janus, 'error', JSON.stringify(auth));
      assert.equal(reply.error.code, 403);
    }
  });

  test('a visitor’s token neither creates rooms, nor joins another room or one it holds no room token for', async (t) => {
    const { rooms } = await sfuOnJanus(t);
    const mine = await rooms.admit('mine', 'mine_a');
    const theirs = await rooms.admit('theirs', 'theirs_a');
    const visitor = await rawVideoRoom(mine.url, { token: mine.token });
    t.after(() => visitor.close());
    const created = await visitor.room({ request: 'create', room: 'my-own', is_private: false });
    assert.match(String(created.error), /admin_key/);
    assert.equal((await visitor.room({ request: 'exists', room: 'my-own' })).exists, false);
    const forged = await visitor.room({ request: 'create', room: 'x', admin_key: 'a guess' });
    assert.equal(typeof forged.error_code, 'number');
    for (const [room, token] of [
      [theirs.room, mine.roomToken],
      [theirs.room, undefined],
      [mine.room, 'a guess'],
    ]) {
      const join = await visitor.room({ request: 'join', ptype: 'publisher', room, token });
      assert.equal(join.error_code, 433, `${room} ${token}`);
    }
  });

  test('a removed visitor is kicked, as is one publishing under an ID nobody was admitted with', async (t) => {
    const { rooms } = await sfuOnJanus(t);
    const tickets = {
      a: await rooms.admit('room', 'room_a'),
      b: await rooms.admit('room', 'room_b'),
      c: await rooms.admit('room', 'room_c'),
    };
    /** @type {Record<string, Awaited<ReturnType<typeof rawVideoRoom>>>} */
    const clients = {};
    for (const [name, ticket] of Object.entries(tickets)) {
      clients[name] = await rawVideoRoom(ticket.url, { token: ticket.token });
      t.after(() => clients[name].close());
      const joined = await clients[name].room({
        request: 'join',
        ptype: 'publisher',
        room: ticket.room,
        // c lies about who it is.
        id: name === 'c' ? 'room_zz' : `room_${name}`,
        token: ticket.roomToken,
      });
      assert.equal(joined.videoroom, 'joined');
    }
    await rooms.kick('room', 'room_b');
    const listed = await clients.a.room({ request: 'listparticipants', room: tickets.a.room });
    assert.deepEqual(
      listed.participants.map((/** @type {{ id: string }} */ each) => each.id),
      ['room_a'],
    );
    const { joined: rejoin } = await joinWithTicket(t, tickets.b, 'room_b');
    assert.equal(rejoin.error_code, 433);
  });

  test('a Janus that restarted gets the room made again for the next visitor', async (t) => {
    const { janus, rooms } = await sfuOnJanus(t);
    const before = await rooms.admit('room', 'room_a');
    await janus.restart();
    // The server notices the closed connection, then the next admission makes the room afresh.
    let after;
    for (let attempt = 0; !after; attempt++) {
      after = await rooms.admit('room', 'room_b').catch((error) => {
        if (attempt > 50) throw error;
        return undefined;
      });
    }
    const visitor = await rawVideoRoom(after.url, { token: after.token });
    t.after(() => visitor.close());
    assert.equal((await visitor.room({ request: 'exists', room: before.room })).exists, true);
    const joined = await visitor.room({
      request: 'join',
      ptype: 'publisher',
      room: after.room,
      token: after.roomToken,
    });
    assert.equal(joined.videoroom, 'joined');
  });
});

describe('a room that grows', () => {
  test('moves to Janus at its --sfu-from-th visitor: everyone gets a ticket, a removed visitor is kicked, the last out ends it', async (t) => {
    const janus = await startJanus(t);
    const server = await startServer(t, [
      '--janus-url',
      janus.url,
      '--janus-api-secret',
      janus.apiSecret,
      '--janus-token-secret',
      janus.tokenSecret,
      '--janus-admin-key',
      janus.adminKey,
      '--sfu-from',
      '3',
    ]);
    const response = await fetch(`${server.origin}/api/rooms`, { method: 'POST' });
    const { roomId, hostKey } = /** @type {{ roomId: string, hostKey: string }} */ (
      await response.json()
    );
    const enter = async (/** @type {string} */ token) => {
      const peer = await TestPeer.join(server.port, makePeerId(roomId), { token });
      await peer.noticeOf('welcome');
      return peer;
    };
    const host = await enter(`${crypto.randomUUID()}~${hostKey}`);
    const guest = await enter(crypto.randomUUID());
    await host.noticeOf('member');
    await guest.roundTrip();
    assert.deepEqual(host.unreadNotices, [], 'two visitors are a mesh: no ticket');
    const third = await enter(crypto.randomUUID());
    /** @type {Record<string, import('../../src/room/room-protocol.js').SfuTicket>} */
    const tickets = {};
    for (const [name, peer] of Object.entries({ host, guest, third })) {
      const notice = parseRoomNotice({ type: 'ROOM', payload: await peer.noticeOf('sfu') });
      assert.equal(notice?.event, 'sfu', name);
      if (notice?.event === 'sfu') tickets[name] = notice.ticket;
    }
    assert.equal(tickets.host.url, janus.url);
    assert.equal(new Set(Object.values(tickets).map((each) => each.room)).size, 1);
    // Whoever comes later gets one too.
    const fourth = await enter(crypto.randomUUID());
    await fourth.noticeOf('sfu');
    const { client: onJanus, joined } = await joinWithTicket(t, tickets.guest, guest.id);
    assert.equal(joined.videoroom, 'joined');
    host.send({ type: 'ROOM', payload: { command: 'remove', id: guest.id } });
    for (;;) {
      const { participants } = await onJanus.room({
        request: 'listparticipants',
        room: tickets.guest.room,
      });
      if (participants === undefined || participants.length === 0) break;
      await delay(20);
    }
    for (const peer of [host, third, fourth]) peer.close();
    for (;;) {
      const { exists } = await onJanus.room({ request: 'exists', room: tickets.guest.room });
      if (exists === false) break;
      await delay(20);
    }
  });

  test('when Janus goes away its rooms are told, and get new tickets once it is back', async (t) => {
    const janus = await startJanus(t);
    const server = await startServer(t, [
      ...['--janus-url', janus.url, '--janus-api-secret', janus.apiSecret],
      ...['--janus-token-secret', janus.tokenSecret, '--janus-admin-key', janus.adminKey],
      ...['--sfu-from', '2'],
    ]);
    const roomId = crypto.randomUUID();
    const peers = [];
    for (let i = 0; i < 2; i++) {
      const peer = await TestPeer.join(server.port, makePeerId(roomId));
      t.after(() => peer.close());
      peers.push(peer);
    }
    for (const peer of peers) await peer.noticeOf('sfu');
    await janus.restart();
    for (const peer of peers)
      assert.deepEqual(await peer.noticeOf('sfu-lost', 10_000), { event: 'sfu-lost' });
    const notice = await peers[0].noticeOf('sfu', 15_000);
    await peers[1].noticeOf('sfu', 15_000);
    const { joined } = await joinWithTicket(t, notice.ticket);
    assert.equal(joined.videoroom, 'joined');
  });

  test('a ticket from the server is read only when it is well formed', () => {
    const frame = (/** @type {unknown} */ ticket) => ({
      type: 'ROOM',
      payload: { event: 'sfu', ticket },
    });
    const good = { url: 'wss://janus.example.com', room: 'r', token: 't', roomToken: 'rt' };
    assert.deepEqual(parseRoomNotice(frame(good)), { event: 'sfu', ticket: good });
    assert.deepEqual(parseRoomNotice({ type: 'ROOM', payload: { event: 'sfu-lost' } }), {
      event: 'sfu-lost',
    });
    for (const bad of [
      null,
      { ...good, url: 'javascript:alert(1)' },
      { ...good, room: '' },
      { ...good, token: 7 },
      { ...good, roomToken: 'x'.repeat(513) },
    ]) {
      assert.equal(parseRoomNotice(frame(bad)), null, JSON.stringify(bad));
    }
  });
});

describe('instanceFor', () => {
  const instances = ['ws://a:8188', 'ws://b:8188', 'ws://c:8188'].map((url) => ({
    url,
    publicUrl: url,
  }));
  const roomIds = Array.from({ length: 300 }, (_, i) => `room-${i}`);

  test('puts each room on the same instance whatever the order the instances are listed in', () => {
    const reversed = [...instances].reverse();
    for (const roomId of roomIds) {
      assert.equal(instanceFor(roomId, instances).url, instanceFor(roomId, reversed).url);
    }
    const counts = new Map();
    for (const roomId of roomIds) {
      const { url } = instanceFor(roomId, instances);
      counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    for (const count of counts.values()) assert.ok(count > 60, `spread: ${[...counts.values()]}`);
  });

  test('losing an instance moves only the rooms that were on it', () => {
    const fewer = instances.slice(0, 2);
    for (const roomId of roomIds) {
      const before = instanceFor(roomId, instances).url;
      if (before !== instances[2].url) assert.equal(instanceFor(roomId, fewer).url, before);
    }
  });
});
