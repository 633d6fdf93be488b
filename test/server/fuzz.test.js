// Property-based: whatever frames a client sends, the server stays up, drops what it must, and
// another room goes on signalling.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { makePeerId } from '../../src/room/room-id.js';
import { parseSignalMessage } from '../../server/signal-message.js';
import { TestPeer, WARN, newRoomId, startServer } from './support.js';

const TYPES = ['OFFER', 'ANSWER', 'CANDIDATE', 'LEAVE', 'HEARTBEAT', 'EXPIRE', 'OPEN', 'ERROR'];

describe('fuzzing the signalling guard', () => {
  test('parseSignalMessage returns a message or null for any frame', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string().map((text) => [Buffer.from(text), false]),
          fc.json().map((text) => [Buffer.from(text), false]),
          fc.uint8Array().map((bytes) => [Buffer.from(bytes), true]),
        ),
        ([data, isBinary]) => {
          const message = parseSignalMessage(/** @type {Buffer} */ (data), Boolean(isBinary));
          assert.ok(message === null || TYPES.includes(message.type));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('any sequence of frames from one socket leaves the server up and other rooms working', async (t) => {
    const { port, rooms, logs } = await startServer(t);
    const roomA = newRoomId();
    const roomB = newRoomId();
    const bystanders = [await TestPeer.join(port, makePeerId(roomB))];
    bystanders.push(await TestPeer.join(port, makePeerId(roomB)));
    const ids = fc.oneof(
      fc.constant(bystanders[0].id),
      fc.constant(makePeerId(roomA)),
      fc.string(),
      fc.integer(),
    );
    const frame = fc.oneof(
      fc
        .record(
          {
            type: fc.oneof(fc.constantFrom(...TYPES), fc.string()),
            dst: ids,
            payload: fc.anything(),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
      fc.json(),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { maxLength: 40 }), async (frames) => {
        const attacker = await TestPeer.join(port, makePeerId(roomA));
        for (const each of frames) attacker.send(each);
        attacker.socket.close();
        await attacker.closed;
        // The other room still signals, and nothing crossed into it.
        bystanders[1].send({ type: 'OFFER', dst: bystanders[0].id, payload: { round } });
        const message = await bystanders[0].next();
        assert.deepEqual(message, {
          type: 'OFFER',
          src: bystanders[1].id,
          dst: bystanders[0].id,
          payload: { round: round++ },
        });
      }),
      { numRuns: 40 },
    );
    assert.deepEqual(rooms.peersOf(roomB).sort(), bystanders.map((peer) => peer.id).sort());
    assert.deepEqual(
      logs.filter((line) => line.level > WARN),
      [],
      'no error was logged',
    );
  });
});
