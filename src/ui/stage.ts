// What the stage shows: which tiles, in which order, where and how marked. Plain data, no DOM.
import type { Layout } from '../config.js';
import type { Participant } from '../room/participant.js';
import { layoutTiles, type Rect, type Size } from './tile-layout.js';

/** One tile of the stage: a participant's camera, or a screen one of them shares. */
export type Tile =
  | { kind: 'participant'; id: string; participant: Participant }
  | { kind: 'screen'; id: string; sharer: Participant; stream: MediaStream };

/** A tile with its place on the stage. */
export interface PlacedTile {
  tile: Tile;
  rect: Rect;
  /** Whether it holds the large slot of the `speaker` or `sidebar` layout. */
  isFeatured: boolean;
  /** Whether the visitor pinned it to that slot. */
  isPinned: boolean;
  /** Whether it shows the active speaker. */
  isSpeaking: boolean;
}

export interface StageOptions {
  layout: Layout;
  /** The tile the visitor pinned, if any. */
  pinnedId: string | null;
  /** The active speaker, if any. */
  speakerId: string | null;
  size: Size;
  gap: number;
}

const SCREEN_TILE_SUFFIX = ':screen';

/**
 * The tiles for `participants` (the visitor first), in a stable order (cameras, then screens
 * after them), so a tile never moves in the DOM: each has its rect. The featured tile of
 * `speaker` and `sidebar` is the pinned one, else a shared screen, else the active speaker, else
 * the first remote participant; pinning in the grid shows the pinned tile large too.
 */
export function arrangeStage(
  participants: readonly Participant[],
  { layout, pinnedId, speakerId, size, gap }: StageOptions,
): PlacedTile[] {
  const screens: Tile[] = participants.flatMap((sharer) =>
    sharer.screen
      ? [{ kind: 'screen', id: `${sharer.id}${SCREEN_TILE_SUFFIX}`, sharer, stream: sharer.screen }]
      : [],
  );
  const cameras: Tile[] = participants.map((participant) => ({
    kind: 'participant',
    id: participant.id,
    participant,
  }));
  const tiles = [...cameras, ...screens];
  const pinned = tiles.find((tile) => tile.id === pinnedId);
  const shownLayout = pinned && layout === 'grid' ? 'speaker' : layout;
  const speaker = cameras.find((tile) => tile.id === speakerId);
  const featured =
    shownLayout === 'grid' ? null : (pinned ?? screens[0] ?? speaker ?? cameras[1] ?? cameras[0]);
  const ordered = featured ? [featured, ...tiles.filter((tile) => tile !== featured)] : tiles;
  const rects = layoutTiles(shownLayout, ordered.length, size, { gap });
  const rectOf = new Map(ordered.map((tile, index) => [tile, rects[index]]));
  return tiles.map((tile) => ({
    tile,
    rect: rectOf.get(tile)!,
    isFeatured: tile === featured,
    isPinned: tile === pinned,
    isSpeaking: tile === speaker,
  }));
}
