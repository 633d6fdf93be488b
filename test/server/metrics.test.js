import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, test } from 'node:test';
import { makePeerId } from '../../src/room/room-id.js';
import {
  JOIN_SECRET,
  TestPeer,
  WARN,
  eventually,
  newRoomId,
  signJoinToken,
  startServer,
} from './support.js';

/**
 * The value of one sample in Prometheus text, e.g. `rtc_room_refusals_total{reason="room-full"}`.
 * @param {string} text
 * @param {string} sample
 */
function sampleOf(text, sample) {
  const line = text.split('\n').find((each) => each.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('metrics and logs', () => {
  test('/metrics counts peers, rooms, relayed messages, refusals and connections by state', async (t) => {
    const { port, origin } = await startServer(t, ['--max-room-size', '2']);
    const roomId = newRoomId();
    const first = await TestPeer.join(port, makePeerId(roomId));
    const second = await TestPeer.join(port, makePeerId(roomId));
    const third = await TestPeer.connect(port, makePeerId(roomId));
    assert.equal((await third.next()).type, 'ERROR');
    await third.closed;
    first.send({ type: 'OFFER', dst: second.id, payload: {} });
    await second.next();

    const response = await fetch(`${origin}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain;.*version=0\.0\.4/);
    const text = await response.text();
    assert.equal(sampleOf(text, 'rtc_room_peers'), 2);
    assert.equal(sampleOf(text, 'rtc_room_rooms'), 1);
    assert.equal(sampleOf(text, 'rtc_room_messages_relayed_total'), 1);
    assert.equal(sampleOf(text, 'rtc_room_refusals_total{reason="room-full"}'), 1);
    assert.equal(sampleOf(text, 'rtc_room_connections{state="registered"}'), 2);
    assert.equal(sampleOf(text, 'rtc_room_connections{state="pending"}'), 0);
    assert.ok((sampleOf(text, 'process_resident_memory_bytes') ?? 0) > 0);
    assert.doesNotMatch(text, new RegExp(roomId), 'no room ID in the metrics');
  });

  test('/metrics can want a bearer token', async (t) => {
    const { origin } = await startServer(t, ['--metrics-token', 'scrape-me']);
    assert.equal((await fetch(`${origin}/metrics`)).status, 401);
    const wrong = { headers: { authorization: 'Bearer scrape-you' } };
    assert.equal((await fetch(`${origin}/metrics`, wrong)).status, 401);
    const right = { headers: { authorization: 'Bearer scrape-me' } };
    const response = await fetch(`${origin}/metrics`, right);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /rtc_room_peers 0/);
  });

  test('/metrics can live on a port of its own, and then only there', async (t) => {
    const { origin, metricsServer } = await startServer(t, ['--metrics-port', '0']);
    assert.ok(metricsServer);
    metricsServer.listen(0, '127.0.0.1');
    await once(metricsServer, 'listening');
    const address = /** @type {import('node:net').AddressInfo} */ (metricsServer.address());
    assert.equal((await fetch(`${origin}/metrics`)).status, 404);
    const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    assert.match(await response.text(), /rtc_room_rooms 0/);
  });

  test('logs one JSON line per join, leave and refusal, without tokens, room IDs or contents', async (t) => {
    const { port, origin, logs } = await startServer(t, ['--join-secret', JOIN_SECRET]);
    const roomId = newRoomId();
    const token = await signJoinToken({ room: roomId, name: 'Ada' });
    const alice = await TestPeer.join(port, makePeerId(roomId), { token: `alice.${token}` });
    const bob = await TestPeer.join(port, makePeerId(roomId), { token: `bob.${token}` });
    alice.send({ type: 'OFFER', dst: bob.id, payload: { sdp: 'very-private-sdp' } });
    await bob.next();
    const refused = await TestPeer.connect(port, makePeerId(roomId), { token: 'nobody' });
    await refused.closed;
    await fetch(`${origin}/api/rooms/${roomId}/peers`, {
      headers: { authorization: `Bearer ${token}x` },
    });
    await alice.close();

    await eventually(() => assert.ok(logs.some((line) => line.event === 'leave')));
    const events = logs.map((line) => line.event);
    assert.deepEqual(
      events.filter((event) => event === 'join'),
      ['join', 'join'],
    );
    assert.equal(events.filter((event) => event === 'refusal').length, 2);
    assert.equal(events.filter((event) => event === 'leave').length, 1);
    const refusals = logs.filter((line) => line.event === 'refusal');
    assert.deepEqual(
      refusals.map((line) => line.reason),
      ['unauthorized', 'unauthorized'],
    );
    assert.ok(refusals.every((line) => line.level === WARN && line.ip === '127.0.0.1'));
    const everything = JSON.stringify(logs);
    for (const secret of [token, roomId, alice.id, 'very-private-sdp', 'Ada']) {
      assert.equal(everything.includes(secret), false, `${secret.slice(0, 20)}… not logged`);
    }
    const join = logs.find((line) => line.event === 'join');
    assert.match(String(join?.room), /^[0-9a-f]{12}$/, 'rooms are named by a short hash');
  });
});
