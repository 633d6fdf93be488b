import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { makePeerId } from '../../src/room/room-id.js';
import {
  JOIN_SECRET,
  TestPeer,
  WARN,
  getFrom,
  getJson,
  newRoomId,
  signJoinToken,
  startServer,
} from './support.js';

/** A client secret as the element makes it. */
const secret = () => crypto.randomUUID().replaceAll('-', '');

const OFFER = { type: 'OFFER', payload: { type: 'media', sdp: { type: 'offer', sdp: 'v=0' } } };

/**
 * Creates a room the way Create room does.
 * @param {string} origin
 * @param {{ locked?: boolean }} [body]
 * @returns {Promise<{ roomId: string, hostKey: string, locked: boolean }>}
 */
async function createRoom(origin, body = {}) {
  const response = await fetch(`${origin}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201);
  return /** @type {any} */ (await response.json());
}

/**
 * Joins and reads the welcome notice the server sends after OPEN.
 * @param {number} port
 * @param {string} id
 * @param {import('./support.js').ConnectOptions} [options]
 */
async function enter(port, id, options) {
  const peer = await TestPeer.join(port, id, options);
  const welcome = await peer.noticeOf('welcome');
  return { peer, welcome };
}

/**
 * Connects to a locked room and expects to wait at its door.
 * @param {number} port
 * @param {string} id
 * @param {import('./support.js').ConnectOptions} [options]
 */
async function knockAt(port, id, options) {
  const peer = await TestPeer.connect(port, id, options);
  assert.deepEqual(await peer.nextNotice(), { event: 'waiting' });
  return peer;
}

/**
 * Expects an ERROR naming `msg`, then the socket closed.
 * @param {TestPeer} peer
 * @param {string} msg
 */
async function expectRefused(peer, msg) {
  assert.deepEqual(await peer.next(), { type: 'ERROR', payload: { msg } });
  assert.equal((await peer.closed).code, 1008);
}

/**
 * A host in a created room, and the room.
 * @param {import('node:test').TestContext} t
 * @param {string[]} [flags]
 * @param {Partial<import('../../server/app.js').RoomServerConfig>} [overrides]
 */
async function hostedRoom(t, flags = [], overrides = {}) {
  const server = await startServer(t, flags, overrides);
  const { roomId, hostKey } = await createRoom(server.origin);
  const hostSecret = secret();
  const { peer: host, welcome } = await enter(server.port, makePeerId(roomId), {
    token: `${hostSecret}~${hostKey}`,
  });
  assert.equal(welcome.self.role, 'host');
  return { ...server, roomId, hostKey, host, hostSecret };
}

/**
 * Waits until the server no longer lists `id` in its room.
 * @param {string} origin
 * @param {string} roomId
 * @param {string} id
 * @param {string} [proof] a member's `<peer ID> <client secret>`, for a locked room
 */
async function whenUnlisted(origin, roomId, id, proof) {
  const headers = proof ? { 'x-rtc-peer': proof } : undefined;
  for (;;) {
    const { body } = await getJson(`${origin}/api/rooms/${roomId}/peers`, { headers });
    if (!(/** @type {{ peers: string[] }} */ (body).peers.includes(id))) return;
    await delay(20);
  }
}

describe('hosts', () => {
  test('Create room registers a room whose host key makes a host; the share link makes guests', async (t) => {
    const { port, roomId, host } = await hostedRoom(t);
    const { peer: guest, welcome } = await enter(port, makePeerId(roomId));
    assert.equal(welcome.self.role, 'guest');
    assert.deepEqual(
      welcome.members.map((/** @type {{ id: string, role: string }} */ m) => [m.id, m.role]),
      [
        [host.id, 'host'],
        [guest.id, 'guest'],
      ],
    );
    assert.equal(welcome.locked, false);
    const joined = await host.noticeOf('member');
    assert.equal(joined.member.id, guest.id);
    assert.equal(joined.member.role, 'guest');
  });

  test('a forged host key is refused and logged, and the room is unchanged', async (t) => {
    const { port, roomId, logs, host } = await hostedRoom(t);
    const forger = await TestPeer.connect(port, makePeerId(roomId), {
      token: `${secret()}~${'A'.repeat(32)}`,
    });
    await expectRefused(forger, 'unauthorized');
    assert.ok(logs.some((line) => line.level === WARN && /host key/.test(line.msg)));
    // Another room's host key is no key here either.
    const other = await createRoom(`http://127.0.0.1:${port}`);
    const borrower = await TestPeer.connect(port, makePeerId(roomId), {
      token: `${secret()}~${other.hostKey}`,
    });
    await expectRefused(borrower, 'unauthorized');
    await host.roundTrip();
    assert.deepEqual(host.unreadNotices, []);
  });

  test('a guest sending host commands over the signalling socket is refused, logged, and nothing changes', async (t) => {
    const { port, roomId, logs, host } = await hostedRoom(t);
    const { peer: guest } = await enter(port, makePeerId(roomId));
    const { peer: other } = await enter(port, makePeerId(roomId));
    await host.noticeOf('member');
    await host.noticeOf('member');
    await guest.noticeOf('member');
    const commands = [
      { command: 'lock' },
      { command: 'remove', id: other.id },
      { command: 'remove', id: host.id },
      { command: 'mute', id: other.id },
      { command: 'lower-hand', id: other.id },
      { command: 'admit', id: makePeerId(roomId) },
      { command: 'deny', id: makePeerId(roomId) },
    ];
    for (const payload of commands) {
      guest.send({ type: 'ROOM', payload });
      assert.deepEqual(await guest.nextNotice(), {
        event: 'refused',
        command: payload.command,
        reason: 'not-host',
      });
    }
    const refusals = logs.filter((line) => line.level === WARN && line.reason === 'not-host');
    assert.equal(refusals.length, commands.length);
    await other.roundTrip();
    await host.roundTrip();
    assert.deepEqual(other.unreadNotices, [], 'nobody was muted, removed or told of a lock');
    assert.deepEqual(host.unreadNotices, []);
    // The room is still open: a newcomer walks in.
    await enter(port, makePeerId(roomId));
  });

  test("a join token's role makes a host; role host signed with another secret gets nobody in", async (t) => {
    const { port } = await startServer(t, ['--join-secret', JOIN_SECRET]);
    const roomId = newRoomId();
    const hostToken = await signJoinToken({ room: roomId, role: 'host', name: 'Grace' });
    const { welcome } = await enter(port, makePeerId(roomId), {
      token: `${secret()}.${hostToken}`,
    });
    assert.deepEqual(
      { role: welcome.self.role, name: welcome.self.name, verified: welcome.self.verified },
      { role: 'host', name: 'Grace', verified: true },
    );
    const forged = await signJoinToken(
      { room: roomId, role: 'host' },
      { secret: 'another-secret-of-32-characters!!' },
    );
    const forger = await TestPeer.connect(port, makePeerId(roomId), {
      token: `${secret()}.${forged}`,
    });
    await expectRefused(forger, 'unauthorized');
    const guestToken = await signJoinToken({ room: roomId });
    const { welcome: guest } = await enter(port, makePeerId(roomId), {
      token: `${secret()}.${guestToken}`,
    });
    assert.equal(guest.self.role, 'guest');
    // With join tokens, rooms and their hosts come from the site's backend.
    const { response } = await getJson(`http://127.0.0.1:${port}/api/rooms`, { method: 'POST' });
    assert.equal(response.status, 403);
  });

  test('the server vouches for token names and gives distinct default names, kept across a reload', async (t) => {
    const { port } = await startServer(t, ['--join-secret', JOIN_SECRET]);
    const roomId = newRoomId();
    const named = await signJoinToken({ room: roomId, name: 'Ada' });
    const anonymous = await signJoinToken({ room: roomId });
    const { peer: ada } = await enter(port, makePeerId(roomId), { token: `${secret()}.${named}` });
    const firstSecret = secret();
    const { welcome: first } = await enter(port, makePeerId(roomId), {
      token: `${firstSecret}.${anonymous}`,
    });
    const { welcome: second } = await enter(port, makePeerId(roomId), {
      token: `${secret()}.${anonymous}`,
    });
    const adaInfo = first.members.find((/** @type {{ id: string }} */ m) => m.id === ada.id);
    assert.deepEqual([adaInfo.name, adaInfo.verified], ['Ada', true]);
    assert.deepEqual([first.self.name, first.self.verified], ['', false]);
    assert.notEqual(first.self.guest, second.self.guest);
    // A reload of the same browser (same secret, new peer ID) keeps its default name.
    const { welcome: reloaded } = await enter(port, makePeerId(roomId), {
      token: `${firstSecret}.${anonymous}`,
    });
    assert.equal(reloaded.self.guest, first.self.guest);
  });
});

describe('the door', () => {
  test('in a locked room a newcomer waits, learns nobody, and nothing it sends is relayed', async (t) => {
    const { port, origin, roomId, host, hostSecret } = await hostedRoom(t);
    host.send({ type: 'ROOM', payload: { command: 'lock' } });
    assert.deepEqual(await host.nextNotice(), { event: 'lock', locked: true });

    const knocker = await knockAt(port, makePeerId(roomId));
    // Guessed IDs and the host's own: OFFERs, candidates and a LEAVE, before any admission.
    for (const dst of [host.id, makePeerId(roomId), makePeerId(roomId)]) {
      for (const type of ['OFFER', 'CANDIDATE', 'LEAVE']) knocker.send({ ...OFFER, type, dst });
    }
    knocker.send({ type: 'ROOM', payload: { command: 'lock' } });
    await host.roundTrip();
    assert.deepEqual(host.unread, [], 'nothing was relayed to the host');
    assert.deepEqual(knocker.unread, [], 'no OPEN, no EXPIRE: nothing that names a peer');
    assert.deepEqual(knocker.unreadNotices, []);
    // The room's list is for its members only while it is locked.
    const listed = await getFrom(`${origin}/api/rooms/${roomId}/peers`);
    assert.equal(listed.status, 403);
    assert.doesNotMatch(JSON.stringify(listed.body), new RegExp(host.id));
    const forged = await getFrom(`${origin}/api/rooms/${roomId}/peers`, {
      headers: { 'x-rtc-peer': `${host.id} ${secret()}` },
    });
    assert.equal(forged.status, 403, 'a member ID without its secret proves nothing');
    const member = await getFrom(`${origin}/api/rooms/${roomId}/peers`, {
      headers: { 'x-rtc-peer': `${host.id} ${hostSecret}` },
    });
    assert.deepEqual(member.body.peers, [host.id]);
    assert.deepEqual(host.unreadNotices, [], 'no knock until it knocks');

    knocker.send({ type: 'ROOM', payload: { command: 'knock', name: ' Lin\u202e ' } });
    const knock = await host.noticeOf('knock');
    assert.equal(knock.knocker.id, knocker.id);
    assert.equal(knock.knocker.name, 'Lin');
    host.send({ type: 'ROOM', payload: { command: 'admit', id: knocker.id } });
    assert.deepEqual(await host.noticeOf('knock-end'), { event: 'knock-end', id: knocker.id });
    const open = await knocker.next();
    assert.equal(open.type, 'OPEN');
    assert.deepEqual(open.payload, { peers: [host.id, knocker.id] });
    assert.equal((await knocker.noticeOf('welcome')).locked, true);
    knocker.send({ ...OFFER, dst: host.id });
    assert.equal((await host.next()).src, knocker.id, 'admitted: now it is relayed');
  });

  test('a denied knock, an unanswered one and a knock to a room created locked', async (t) => {
    const server = await startServer(t, [], { knockTimeoutMs: 300 });
    const { roomId, hostKey } = await createRoom(server.origin, { locked: true });
    // Locked from the start: even the first guest waits, for a host.
    const early = await knockAt(server.port, makePeerId(roomId));
    const { peer: host } = await enter(server.port, makePeerId(roomId), {
      token: `${secret()}~${hostKey}`,
    });
    const denied = await knockAt(server.port, makePeerId(roomId));
    denied.send({ type: 'ROOM', payload: { command: 'knock', name: 'Eve' } });
    assert.equal((await host.noticeOf('knock')).knocker.id, denied.id);
    host.send({ type: 'ROOM', payload: { command: 'deny', id: denied.id } });
    await expectRefused(denied, 'denied');
    // Nobody answered the early knock: it ends as denied.
    await expectRefused(early, 'denied');
  });

  test('unlocking lets in whoever waits; a host arriving later sees who knocks', async (t) => {
    const { port, roomId, hostKey, host } = await hostedRoom(t);
    host.send({ type: 'ROOM', payload: { command: 'lock' } });
    await host.noticeOf('lock');
    const knocker = await knockAt(port, makePeerId(roomId));
    knocker.send({ type: 'ROOM', payload: { command: 'knock', name: 'Bo' } });
    await host.noticeOf('knock');
    const { welcome } = await enter(port, makePeerId(roomId), { token: `${secret()}~${hostKey}` });
    assert.deepEqual(
      welcome.knocking.map((/** @type {{ id: string, name: string }} */ k) => [k.id, k.name]),
      [[knocker.id, 'Bo']],
    );
    host.send({ type: 'ROOM', payload: { command: 'unlock' } });
    assert.equal((await knocker.next()).type, 'OPEN');
  });

  test('whoever is in when the room locks comes back without knocking; one who left before knocks', async (t) => {
    const { port, origin, roomId, host, hostSecret } = await hostedRoom(t);
    const inSecret = secret();
    const leftSecret = secret();
    const { peer: inside } = await enter(port, makePeerId(roomId), { token: inSecret });
    const { peer: left } = await enter(port, makePeerId(roomId), { token: leftSecret });
    left.close();
    await whenUnlisted(origin, roomId, left.id);
    host.send({ type: 'ROOM', payload: { command: 'lock' } });
    await host.noticeOf('lock');
    inside.close();
    await whenUnlisted(origin, roomId, inside.id, `${host.id} ${hostSecret}`);
    // A reload: a new peer ID with the same client secret.
    const { welcome } = await enter(port, makePeerId(roomId), { token: inSecret });
    assert.equal(welcome.locked, true);
    await knockAt(port, makePeerId(roomId), { token: leftSecret });
  });

  test('a visitor alone in an open room is guest 1, and keeps its number as others come', async (t) => {
    const { port } = await startServer(t);
    const roomId = newRoomId();
    const firstSecret = secret();
    const { peer: first, welcome: alone } = await enter(port, makePeerId(roomId), {
      token: firstSecret,
    });
    assert.equal(alone.self.guest, 1);
    const { welcome: second } = await enter(port, makePeerId(roomId));
    assert.equal(second.self.guest, 2);
    assert.deepEqual(
      second.members.map((/** @type {{ guest: number }} */ m) => m.guest),
      [1, 2],
    );
    first.close();
    const { welcome: reloaded } = await enter(port, makePeerId(roomId), { token: firstSecret });
    assert.equal(reloaded.self.guest, 1);
    const { welcome: third } = await enter(port, makePeerId(roomId));
    assert.equal(third.self.guest, 3);
  });

  test('knock flooding is rate-limited per address, and the host is told of real knocks only', async (t) => {
    const { port, roomId, host } = await hostedRoom(t);
    host.send({ type: 'ROOM', payload: { command: 'lock' } });
    await host.noticeOf('lock');
    /** @type {TestPeer[]} */
    const flood = [];
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const peer = await TestPeer.connect(port, makePeerId(roomId), { from: '127.0.0.3' });
      const first = await Promise.race([peer.nextNotice(), peer.next()]);
      if (first.event === 'waiting') flood.push(peer);
      else {
        assert.deepEqual(first, { type: 'ERROR', payload: { msg: 'too-many-knocks' } });
        refused++;
      }
    }
    assert.equal(flood.length, 5, 'a burst of five, then refused');
    assert.equal(refused, 7);
    // Another address still knocks, and the host can answer it.
    const honest = await knockAt(port, makePeerId(roomId), { from: '127.0.0.4' });
    honest.send({ type: 'ROOM', payload: { command: 'knock', name: 'Honest' } });
    assert.equal((await host.noticeOf('knock')).knocker.id, honest.id);
    host.send({ type: 'ROOM', payload: { command: 'admit', id: honest.id } });
    assert.equal((await honest.next()).type, 'OPEN');
  });
});

describe('removal', () => {
  test('a removed guest is cut off, the room is told, and it cannot return by reload or reconnect', async (t) => {
    const { port, roomId, host } = await hostedRoom(t);
    const guestSecret = secret();
    const { peer: guest } = await enter(port, makePeerId(roomId), { token: guestSecret });
    const { peer: other } = await enter(port, makePeerId(roomId));
    await host.noticeOf('member');
    host.send({ type: 'ROOM', payload: { command: 'remove', id: guest.id } });
    await expectRefused(guest, 'removed');
    assert.deepEqual(await other.noticeOf('removed'), { event: 'removed', id: guest.id });
    assert.deepEqual(await host.noticeOf('removed'), { event: 'removed', id: guest.id });
    // The same ID and secret (a reconnect), a new ID with the same secret (a reload).
    for (const id of [guest.id, makePeerId(roomId)]) {
      const back = await TestPeer.connect(port, id, { token: guestSecret });
      await expectRefused(back, 'removed');
    }
  });

  test('a removed token holder is refused with a new client secret, and gets no more TURN credentials', async (t) => {
    const { port, origin } = await startServer(t, [
      '--join-secret',
      JOIN_SECRET,
      '--turn-secret',
      'turn-secret',
      '--turn-urls',
      'turn:127.0.0.1:3478',
    ]);
    const roomId = newRoomId();
    const hostToken = await signJoinToken({ room: roomId, role: 'host' });
    const guestToken = await signJoinToken({ room: roomId, sub: 'user-42', name: 'Mallory' });
    const { peer: host } = await enter(port, makePeerId(roomId), {
      token: `${secret()}.${hostToken}`,
    });
    const { peer: guest } = await enter(port, makePeerId(roomId), {
      token: `${secret()}.${guestToken}`,
    });
    host.send({ type: 'ROOM', payload: { command: 'remove', id: guest.id } });
    await expectRefused(guest, 'removed');
    // Another token for the same person (same sub), with a fresh client secret.
    const renewed = await signJoinToken({ room: roomId, sub: 'user-42' });
    const back = await TestPeer.connect(port, makePeerId(roomId), {
      token: `${secret()}.${renewed}`,
    });
    await expectRefused(back, 'removed');
    const ice = await getJson(`${origin}/api/ice?room=${roomId}`, {
      headers: { authorization: `Bearer ${renewed}` },
    });
    assert.equal(ice.response.status, 403);
    assert.doesNotMatch(JSON.stringify(ice.body), /turn:/);
  });

  test('a removed visitor from a fresh profile, through the share link of a locked room, must knock', async (t) => {
    const { port, roomId, host } = await hostedRoom(t);
    const { peer: guest } = await enter(port, makePeerId(roomId));
    host.send({ type: 'ROOM', payload: { command: 'remove', id: guest.id } });
    await expectRefused(guest, 'removed');
    host.send({ type: 'ROOM', payload: { command: 'lock' } });
    await host.noticeOf('lock');
    await knockAt(port, makePeerId(roomId));
  });
});

describe('what everyone gets', () => {
  test('mute reaches its target only; hands go up, and hosts lower them', async (t) => {
    const { port, roomId, host } = await hostedRoom(t);
    const { peer: guest } = await enter(port, makePeerId(roomId));
    const { peer: other } = await enter(port, makePeerId(roomId));
    await guest.noticeOf('member');
    host.send({ type: 'ROOM', payload: { command: 'mute', id: guest.id } });
    assert.deepEqual(await guest.noticeOf('muted'), { event: 'muted', by: host.id });
    guest.send({ type: 'ROOM', payload: { command: 'hand', raised: true } });
    const raised = { event: 'hand', id: guest.id, raised: true, by: guest.id };
    assert.deepEqual(await other.noticeOf('hand'), raised);
    host.send({ type: 'ROOM', payload: { command: 'lower-hand', id: guest.id } });
    const lowered = { event: 'hand', id: guest.id, raised: false, by: host.id };
    assert.deepEqual(await guest.noticeOf('hand'), raised);
    assert.deepEqual(await guest.noticeOf('hand'), lowered);
    assert.deepEqual(await other.noticeOf('hand'), lowered);
    const { welcome } = await enter(port, makePeerId(roomId));
    assert.ok(welcome.members.every((/** @type {{ handRaised: boolean }} */ m) => !m.handRaised));
  });

  test('reactions from the fixed set reach everyone, at a limited rate; others are dropped', async (t) => {
    const { port, roomId, host } = await hostedRoom(t);
    const { peer: guest } = await enter(port, makePeerId(roomId));
    guest.send({ type: 'ROOM', payload: { command: 'react', emoji: '<b>hi</b>' } });
    for (let i = 0; i < 5; i++)
      guest.send({ type: 'ROOM', payload: { command: 'react', emoji: '👏' } });
    await guest.roundTrip();
    // The server told the host of each reaction before it answers the host's own frame.
    await host.roundTrip();
    const reactions = host.unreadNotices.filter((notice) => notice.event === 'reaction');
    assert.deepEqual(reactions, Array(3).fill({ event: 'reaction', id: guest.id, emoji: '👏' }));
    const refused = guest.unreadNotices.filter((notice) => notice.event === 'refused');
    assert.equal(refused.length, 2);
  });
});
