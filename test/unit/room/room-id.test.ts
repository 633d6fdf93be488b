import { expect } from '@open-wc/testing';
import { PEER_ID_PATTERN, isRoomId, makePeerId, roomOfPeerId } from '../../../src/room/room-id.js';

const UUID = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';

describe('room-id', () => {
  describe('isRoomId', () => {
    const cases: Array<[unknown, boolean]> = [
      [UUID, true],
      ['abcdefgh', true],
      ['a'.repeat(64), true],
      ['ABC-def-123', true],
      ['abcdefg', false],
      ['a'.repeat(65), false],
      ['-abcdefgh', false],
      ['abcdefgh-', false],
      ['abcd--efgh', false],
      ['abcd_efgh', false],
      ['abcd efgh', false],
      ['abcdéfgh', false],
      ['', false],
      [12345678, false],
      [null, false],
      [undefined, false],
    ];
    for (const [input, expected] of cases) {
      it(`says ${JSON.stringify(input) ?? 'undefined'} is ${expected ? '' : 'not '}a room ID`, () => {
        expect(isRoomId(input)).to.equal(expected);
      });
    }
  });

  describe('roomOfPeerId', () => {
    const cases: Array<[string, string | null]> = [
      [`${UUID}_0123456789abcdef`, UUID],
      ['abcdefgh_x', 'abcdefgh'],
      ['plainpeerjsid', null],
      ['_abcdefgh', null],
      ['short_0123', null],
      ['bad_room_id_0123', null],
    ];
    for (const [input, expected] of cases) {
      it(`finds room ${JSON.stringify(expected)} in "${input}"`, () => {
        expect(roomOfPeerId(input)).to.equal(expected);
      });
    }
  });

  describe('makePeerId', () => {
    it('puts the room, an underscore and 16 hex characters in a valid PeerJS ID', () => {
      const id = makePeerId(UUID);
      expect(id).to.match(new RegExp(`^${UUID}_[0-9a-f]{16}$`));
      expect(PEER_ID_PATTERN.test(id)).to.equal(true);
      expect(roomOfPeerId(id)).to.equal(UUID);
    });

    it('makes a different ID every time', () => {
      const ids = new Set(Array.from({ length: 50 }, () => makePeerId(UUID)));
      expect(ids.size).to.equal(50);
    });
  });
});
