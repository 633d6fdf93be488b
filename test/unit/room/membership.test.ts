import { expect } from '@open-wc/testing';
import {
  MAX_CONNECT_ATTEMPTS,
  afterFailure,
  keepsOwnDial,
  peersToDial,
} from '../../../src/room/membership.js';

const ROOM = 'room1234';
const A = `${ROOM}_0a`;
const B = `${ROOM}_5b`;
const C = `${ROOM}_9c`;
const D = `${ROOM}_fd`;

describe('membership', () => {
  describe('keepsOwnDial', () => {
    const ids = [A, B, C, D, 'x', `${ROOM}_0`, `${ROOM}_00`];
    for (const first of ids) {
      for (const second of ids) {
        if (first === second) continue;
        it(`lets exactly one of "${first}" and "${second}" keep its own dial`, () => {
          expect(keepsOwnDial(first, second) !== keepsOwnDial(second, first)).to.equal(true);
        });
      }
    }

    it('lets the smaller ID keep its dial', () => {
      expect(keepsOwnDial(A, D)).to.equal(true);
      expect(keepsOwnDial(D, A)).to.equal(false);
    });
  });

  describe('peersToDial', () => {
    const none = new Set<string>();
    const cases: Array<
      [
        string,
        { own: string; listed: string[]; linked?: string[]; departed?: string[] },
        boolean,
        string[],
      ]
    > = [
      ['dials everyone but itself on join', { own: B, listed: [A, B, C, D] }, true, [A, C, D]],
      ['dials only larger IDs on a re-check', { own: B, listed: [A, B, C, D] }, false, [C, D]],
      [
        'dials nobody on a re-check when it has the largest ID',
        { own: D, listed: [A, B, C, D] },
        false,
        [],
      ],
      ['skips linked peers', { own: B, listed: [A, C, D], linked: [C] }, true, [A, D]],
      ['skips departed peers', { own: B, listed: [A, C, D], departed: [D] }, true, [A, C]],
      [
        'skips departed peers on a re-check',
        { own: A, listed: [B, C, D], departed: [C], linked: [B] },
        false,
        [D],
      ],
      ['dials a listed duplicate once', { own: B, listed: [A, A, C, C, A] }, true, [A, C]],
      ['dials nobody in an empty room', { own: B, listed: [] }, true, []],
      ['dials nobody when alone in the list', { own: B, listed: [B, B] }, true, []],
    ];
    for (const [name, { own, listed, linked, departed }, isJoining, expected] of cases) {
      it(name, () => {
        const result = peersToDial(
          own,
          listed,
          linked ? new Set(linked) : none,
          departed ? new Set(departed) : none,
          isJoining,
        );
        expect(result).to.deep.equal(expected);
      });
    }

    it('heals a missed pair from exactly one side on re-check', () => {
      const fromB = peersToDial(B, [B, C], none, none, false);
      const fromC = peersToDial(C, [B, C], none, none, false);
      expect([...fromB, ...fromC]).to.deep.equal([C]);
    });
  });

  describe('afterFailure', () => {
    const peer = (failures: number, hasConnected: boolean, isRelayOnly = false) => ({
      failures,
      hasConnected,
      isRelayOnly,
    });

    it('backs off and gives up after the last attempt', () => {
      expect(afterFailure(peer(1, true), 'failed', true)).to.deep.equal({
        afterMs: 500,
        relayOnly: false,
      });
      expect(afterFailure(peer(2, false), 'failed', false)).to.deep.equal({
        afterMs: 1000,
        relayOnly: false,
      });
      expect(afterFailure(peer(MAX_CONNECT_ATTEMPTS, true), 'failed', true)).to.equal(null);
    });

    it('tries a peer never reached once more through TURN alone, at once', () => {
      expect(afterFailure(peer(1, false), 'no-path', true)).to.deep.equal({
        afterMs: 0,
        relayOnly: true,
      });
      expect(afterFailure(peer(2, false, true), 'no-path', true)).to.equal(null);
    });

    it('gives up at once on a peer never reached when there is no TURN', () => {
      expect(afterFailure(peer(1, false), 'no-path', false)).to.equal(null);
    });

    it('backs off as for any failure when a reached peer finds no path', () => {
      expect(afterFailure(peer(1, true), 'no-path', false)).to.deep.equal({
        afterMs: 500,
        relayOnly: false,
      });
    });
  });
});
