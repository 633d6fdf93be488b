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
});
