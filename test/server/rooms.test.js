import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RoomRegistry } from '../../server/rooms.js';

/** A stand-in for PeerServer's client: only what the registry reads. */
const client = (/** @type {string} */ id) =>
  /** @type {import('peer').IClient} */ (/** @type {unknown} */ ({ getId: () => id }));

const ROOM = 'room-0001';
const OTHER = 'room-0002';

describe('RoomRegistry', () => {
  test('groups peers by the room in their ID and keeps plain peers out of rooms', () => {
    const rooms = new RoomRegistry();
    for (const id of [`${ROOM}_a1`, `${ROOM}_b2`, `${OTHER}_c3`, 'alice']) rooms.add(client(id));
    assert.deepEqual(rooms.peersOf(ROOM), [`${ROOM}_a1`, `${ROOM}_b2`]);
    assert.equal(rooms.sizeOf(OTHER), 1);
    assert.equal(rooms.sizeOf('room-0003'), 0);
    assert.deepEqual(rooms.peersOf('room-0003'), []);
    assert.equal(rooms.isConnected('alice'), true);
    assert.equal(rooms.peerCount, 4);
    assert.equal(rooms.roomCount, 2);
  });

  test('forgets a room when its last peer leaves', () => {
    const rooms = new RoomRegistry();
    const peer = client(`${ROOM}_a1`);
    rooms.add(peer);
    rooms.remove(peer);
    assert.equal(rooms.roomCount, 0);
    assert.equal(rooms.isConnected(`${ROOM}_a1`), false);
  });

  test('counts a re-attached client once', () => {
    const rooms = new RoomRegistry();
    const peer = client(`${ROOM}_a1`);
    rooms.add(peer);
    rooms.add(peer);
    assert.equal(rooms.sizeOf(ROOM), 1);
  });

  test('ignores the departure of a client whose ID another client holds by now', () => {
    const rooms = new RoomRegistry();
    const before = client(`${ROOM}_a1`);
    const after = client(`${ROOM}_a1`);
    rooms.add(before);
    rooms.add(after);
    rooms.remove(before);
    assert.equal(rooms.clientOf(`${ROOM}_a1`), after);
    assert.equal(rooms.sizeOf(ROOM), 1);
  });

  test('finds a client through its room, and counts peers as they come and go', () => {
    const rooms = new RoomRegistry();
    const [a, b, c] = ['a1', 'b2', 'c3'].map((suffix) => client(`${ROOM}_${suffix}`));
    const plain = client('alice');
    for (const each of [a, b, c, plain]) rooms.add(each);
    assert.equal(rooms.clientIn(ROOM, `${ROOM}_b2`), b);
    assert.equal(rooms.clientIn(OTHER, `${ROOM}_b2`), undefined);
    assert.equal(rooms.clientOf('alice'), plain);
    assert.equal(rooms.peerCount, 4);
    rooms.remove(b);
    rooms.remove(a);
    assert.deepEqual(rooms.peersOf(ROOM), [`${ROOM}_c3`]);
    assert.equal(rooms.clientOf(`${ROOM}_c3`), c);
    rooms.remove(plain);
    rooms.remove(plain);
    assert.equal(rooms.peerCount, 1);
    assert.equal(rooms.isConnected('alice'), false);
  });
});
