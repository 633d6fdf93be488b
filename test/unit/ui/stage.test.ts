import { expect } from '@open-wc/testing';
import type { Layout } from '../../../src/config.js';
import type { Participant } from '../../../src/room/participant.js';
import { arrangeStage, type PlacedTile, type StageOptions } from '../../../src/ui/stage.js';

const SIZE = { width: 1280, height: 720 };
const screen = new MediaStream();

function person(id: string, extra: Partial<Participant> = {}): Participant {
  return {
    id,
    name: id,
    isLocal: id === 'me',
    hasAudio: true,
    hasVideo: true,
    screen: null,
    stream: null,
    connection: null,
    safetyCode: null,
    role: 'guest',
    verified: false,
    handRaised: false,
    ...extra,
  };
}

function arrange(
  participants: Participant[],
  options: Partial<StageOptions> & { layout: Layout },
): PlacedTile[] {
  return arrangeStage(participants, {
    pinnedId: null,
    speakerId: null,
    size: SIZE,
    gap: 8,
    ...options,
  });
}

const area = ({ rect }: PlacedTile): number => rect.width * rect.height;
/** The tile IDs with their flags, in the order the stage renders them. */
const described = (tiles: PlacedTile[]): string[] =>
  tiles.map(
    ({ tile, isFeatured, isPinned, isSpeaking }) =>
      tile.id +
      (isFeatured ? ' featured' : '') +
      (isPinned ? ' pinned' : '') +
      (isSpeaking ? ' speaking' : ''),
  );

const ROOMS: Record<string, Participant[]> = {
  'three people': [person('me'), person('ada'), person('bob')],
  'a shared screen': [person('me'), person('ada', { screen }), person('bob')],
  'the visitor alone': [person('me')],
};

// Room, layout, pinned tile, active speaker: the tiles in render order with their marks.
const TABLE: Array<[string, Layout, string | null, string | null, string]> = [
  ['three people', 'grid', null, null, 'me | ada | bob'],
  ['three people', 'grid', null, 'bob', 'me | ada | bob speaking'],
  ['three people', 'speaker', null, null, 'me | ada featured | bob'],
  ['three people', 'speaker', null, 'bob', 'me | ada | bob featured speaking'],
  ['three people', 'sidebar', null, 'bob', 'me | ada | bob featured speaking'],
  ['three people', 'speaker', 'ada', 'bob', 'me | ada featured pinned | bob speaking'],
  ['three people', 'sidebar', 'me', 'bob', 'me featured pinned | ada | bob speaking'],
  ['three people', 'grid', 'me', null, 'me featured pinned | ada | bob'],
  ['three people', 'grid', 'gone', null, 'me | ada | bob'],
  ['a shared screen', 'grid', null, 'bob', 'me | ada | bob speaking | ada:screen'],
  ['a shared screen', 'speaker', null, 'bob', 'me | ada | bob speaking | ada:screen featured'],
  ['a shared screen', 'sidebar', 'bob', null, 'me | ada | bob featured pinned | ada:screen'],
  ['a shared screen', 'grid', 'ada:screen', null, 'me | ada | bob | ada:screen featured pinned'],
  ['the visitor alone', 'grid', null, null, 'me'],
  ['the visitor alone', 'speaker', null, null, 'me featured'],
];

const three = ROOMS['three people'];
const sharing = ROOMS['a shared screen'];

describe('arrangeStage', () => {
  for (const [room, layout, pinnedId, speakerId, tiles] of TABLE) {
    const pin = pinnedId ? `, ${pinnedId} pinned` : '';
    const speaking = speakerId ? `, ${speakerId} speaking` : '';
    it(`shows ${room} in ${layout}${pin}${speaking} as: ${tiles}`, () => {
      const placed = arrange(ROOMS[room], { layout, pinnedId, speakerId });
      expect(described(placed).join(' | ')).to.equal(tiles);
    });
  }

  it('makes a screen tile from the sharer and their screen, not a participant', () => {
    const tile = arrange(sharing, { layout: 'grid' })[3].tile;
    expect(tile).to.deep.equal({
      kind: 'screen',
      id: 'ada:screen',
      sharer: sharing[1],
      stream: screen,
    });
  });

  it('gives the featured tile the largest rect, the others equal ones', () => {
    for (const layout of ['speaker', 'sidebar'] as const) {
      const tiles = arrange(three, { layout, speakerId: 'bob' });
      const [me, ada, bob] = tiles.map(area);
      expect(bob, layout).to.be.above(me);
      expect(me, layout).to.be.closeTo(ada, 1e-6);
    }
  });

  it('gives every grid tile the same size', () => {
    const areas = arrange(three, { layout: 'grid' }).map(area);
    expect(new Set(areas).size).to.equal(1);
    expect(areas[0]).to.be.above(0);
  });

  it('arranges nothing for an empty room', () => {
    expect(arrange([], { layout: 'speaker' })).to.deep.equal([]);
  });
});
