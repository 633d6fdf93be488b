import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSignalMessage } from '../../server/signal-message.js';

/** @param {unknown} value */
const frame = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('parseSignalMessage', () => {
  /** @type {[string, Buffer, import('../../server/signal-message.js').SignalMessage][]} */
  const accepted = [
    ['a heartbeat', frame({ type: 'HEARTBEAT' }), { type: 'HEARTBEAT' }],
    [
      'a heartbeat that asks for one back',
      frame({ type: 'HEARTBEAT', probe: true }),
      { type: 'HEARTBEAT', probe: true },
    ],
    [
      'a heartbeat with a probe that is not true',
      frame({ type: 'HEARTBEAT', probe: 1 }),
      { type: 'HEARTBEAT' },
    ],
    [
      'an offer to a plain peer',
      frame({ type: 'OFFER', dst: 'bob', payload: {} }),
      { type: 'OFFER', dst: 'bob', payload: {} },
    ],
    [
      'an answer to a room peer',
      frame({ type: 'ANSWER', dst: 'room-1234_00ff' }),
      { type: 'ANSWER', dst: 'room-1234_00ff' },
    ],
    [
      'a candidate',
      frame({ type: 'CANDIDATE', dst: 'a b', payload: 1 }),
      { type: 'CANDIDATE', dst: 'a b', payload: 1 },
    ],
    ['a leave with a dst', frame({ type: 'LEAVE', dst: 'bob' }), { type: 'LEAVE', dst: 'bob' }],
    [
      'a command about the room, for the server',
      frame({ type: 'ROOM', payload: { command: 'lock' } }),
      { type: 'ROOM', payload: { command: 'lock' } },
    ],
  ];
  for (const [name, data, expected] of accepted) {
    test(`accepts ${name}`, () => assert.deepEqual(parseSignalMessage(data, false), expected));
  }

  /** @type {[string, Buffer, boolean][]} */
  const dropped = [
    ['a binary frame, even of valid JSON', frame({ type: 'HEARTBEAT' }), true],
    ['text that is not JSON', frame('hello'), false],
    ['JSON null', frame('null'), false],
    ['a JSON array', frame([{ type: 'HEARTBEAT' }]), false],
    ['a JSON string', frame('"HEARTBEAT"'), false],
    ['an unknown type', frame({ type: 'PING', dst: 'bob' }), false],
    ['an EXPIRE from a client', frame({ type: 'EXPIRE', dst: 'bob' }), false],
    ['an OPEN from a client', frame({ type: 'OPEN', dst: 'bob' }), false],
    ['an offer without dst', frame({ type: 'OFFER' }), false],
    ['a leave without dst', frame({ type: 'LEAVE' }), false],
    ['a dst that is not a string', frame({ type: 'OFFER', dst: ['bob'] }), false],
    ['a dst that is not a peer ID', frame({ type: 'OFFER', dst: '../bob' }), false],
  ];
  for (const [name, data, isBinary] of dropped) {
    test(`drops ${name}`, () => assert.equal(parseSignalMessage(data, isBinary), null));
  }
});
