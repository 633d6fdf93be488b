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

const three = [person('me'), person('ada'), person('bob')];
const sharing = [person('me'), person('ada', { screen }), person('bob')];

describe('arrangeStage', () => {
  const cases: Array<{
    title: string;
    participants: Participant[];
    options: Partial<StageOptions> & { layout: Layout };
    tiles: string[];
  }> = [
    {
      title: 'features nobody in the grid',
      participants: three,
      options: { layout: 'grid' },
      tiles: ['me', 'ada', 'bob'],
    },
    {
      title: 'features the first remote participant in speaker with nobody speaking',
      participants: three,
      options: { layout: 'speaker' },
      tiles: ['me', 'ada featured', 'bob'],
    },
    {
      title: 'features the active speaker in speaker',
      participants: three,
      options: { layout: 'speaker', speakerId: 'bob' },
      tiles: ['me', 'ada', 'bob featured speaking'],
    },
    {
      title: 'features the active speaker in sidebar',
      participants: three,
      options: { layout: 'sidebar', speakerId: 'bob' },
      tiles: ['me', 'ada', 'bob featured speaking'],
    },
    {
      title: 'marks the speaker in the grid without featuring them',
      participants: three,
      options: { layout: 'grid', speakerId: 'bob' },
      tiles: ['me', 'ada', 'bob speaking'],
    },
    {
      title: 'features the pinned tile over the speaker',
      participants: three,
      options: { layout: 'speaker', speakerId: 'bob', pinnedId: 'ada' },
      tiles: ['me', 'ada featured pinned', 'bob speaking'],
    },
    {
      title: 'turns a pin in the grid into the speaker layout',
      participants: three,
      options: { layout: 'grid', pinnedId: 'me' },
      tiles: ['me featured pinned', 'ada', 'bob'],
    },
    {
      title: 'ignores a pin on someone who left',
      participants: three,
      options: { layout: 'grid', pinnedId: 'gone' },
      tiles: ['me', 'ada', 'bob'],
    },
    {
      title: 'gives a shared screen a tile of its own after the cameras, featured',
      participants: sharing,
      options: { layout: 'speaker', speakerId: 'bob' },
      tiles: ['me', 'ada', 'bob speaking', 'ada:screen featured'],
    },
    {
      title: 'features a pinned camera over a shared screen',
      participants: sharing,
      options: { layout: 'sidebar', pinnedId: 'bob' },
      tiles: ['me', 'ada', 'bob featured pinned', 'ada:screen'],
    },
    {
      title: 'can pin a shared screen',
      participants: sharing,
      options: { layout: 'grid', pinnedId: 'ada:screen' },
      tiles: ['me', 'ada', 'bob', 'ada:screen featured pinned'],
    },
    {
      title: 'features the visitor alone in the room',
      participants: [person('me')],
      options: { layout: 'speaker' },
      tiles: ['me featured'],
    },
    {
      title: 'shows the visitor alone in the grid',
      participants: [person('me')],
      options: { layout: 'grid' },
      tiles: ['me'],
    },
  ];
  for (const { title, participants, options, tiles } of cases) {
    it(title, () => {
      expect(described(arrange(participants, options))).to.deep.equal(tiles);
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
