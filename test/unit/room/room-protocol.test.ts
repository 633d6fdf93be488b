import { expect } from '@open-wc/testing';
import { parseRoomNotice, type RoomNotice } from '../../../src/room/room-protocol.js';

const member = {
  id: 'room_a',
  role: 'host',
  name: 'Ada',
  verified: true,
  guest: 2,
  handRaised: false,
} as const;
const knocker = { id: 'room_k', name: 'Kim', verified: false, guest: 3 };
const frame = (payload: unknown) => ({ type: 'ROOM', payload });

describe('parseRoomNotice', () => {
  const valid: RoomNotice[] = [
    { event: 'welcome', self: member, members: [member], locked: true, knocking: [knocker] },
    { event: 'member', member },
    { event: 'waiting' },
    { event: 'lock', locked: false },
    { event: 'knock', knocker },
    { event: 'knock-end', id: 'room_k' },
    { event: 'removed', id: 'room_a' },
    { event: 'muted', by: 'room_a' },
    { event: 'hand', id: 'room_a', raised: true, by: 'room_h' },
    { event: 'reaction', id: 'room_a', emoji: '🎉' },
    { event: 'refused', command: 'lock', reason: 'not-host' },
  ];
  for (const notice of valid) {
    it(`reads a ${notice.event} notice`, () => {
      expect(parseRoomNotice(frame(notice))).to.deep.equal(notice);
    });
  }

  const invalid: Array<[string, unknown]> = [
    ['another frame type', { type: 'OPEN', payload: { event: 'waiting' } }],
    ['no payload', { type: 'ROOM' }],
    ['an unknown event', frame({ event: 'promote', id: 'room_a' })],
    ['an inherited event name', frame({ event: 'toString' })],
    [
      'a member with another role',
      frame({ event: 'member', member: { ...member, role: 'owner' } }),
    ],
    ['a negative guest number', frame({ event: 'knock', knocker: { ...knocker, guest: -1 } })],
    ['a fractional guest number', frame({ event: 'knock', knocker: { ...knocker, guest: 1.5 } })],
    ['a welcome whose members are not a list', frame({ ...valid[0], members: member })],
    ['a welcome with one bad knocker', frame({ ...valid[0], knocking: [knocker, { id: '' }] })],
    ['an empty ID', frame({ event: 'removed', id: '' })],
    ['an ID too long', frame({ event: 'removed', id: 'x'.repeat(129) })],
    ['a lock that is not a boolean', frame({ event: 'lock', locked: 'yes' })],
    ['a reaction outside the set', frame({ event: 'reaction', id: 'room_a', emoji: '💩' })],
    ['a refusal for another reason', frame({ event: 'refused', command: 'lock', reason: 'no' })],
  ];
  for (const [title, value] of invalid) {
    it(`refuses ${title}`, () => {
      expect(parseRoomNotice(value)).to.equal(null);
    });
  }

  it('cleans names and drops fields it does not know', () => {
    const notice = parseRoomNotice(
      frame({ event: 'knock', knocker: { ...knocker, name: ' Kim\u0000\u202e ', extra: 1 }, x: 2 }),
    );
    expect(notice).to.deep.equal({ event: 'knock', knocker: { ...knocker, name: 'Kim' } });
  });
});
