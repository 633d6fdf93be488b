// Where each tile goes on the stage: plain geometry over the stage's size, no DOM.
import type { Layout } from '../config.js';

/** A size in CSS pixels. */
export interface Size {
  width: number;
  height: number;
}

/** A tile's place on the stage, in CSS pixels from the stage's top left corner. */
export interface Rect extends Size {
  x: number;
  y: number;
}

export interface LayoutOptions {
  /** Space between tiles. */
  gap: number;
  /** Width over height of a tile (a camera's 16:9 by default). */
  aspectRatio?: number;
}

const VIDEO_ASPECT_RATIO = 16 / 9;
/** Share of the stage the small tiles get beside (or below) the featured one. */
const STRIP_SHARE = { speaker: 0.2, sidebar: 0.25 } as const;
/** Below this width over height the stage is portrait: strips go below the featured tile. */
const PORTRAIT_BELOW = 1;

/**
 * The grid with the largest tiles at `aspectRatio` for `count` tiles in `box`: every column
 * count is tried, as Meet's and Jitsi's tile views do. Rows are centred; a short last row too.
 */
export function gridLayout(count: number, box: Rect, options: LayoutOptions): Rect[] {
  if (count <= 0) return [];
  const { gap } = options;
  const ratio = options.aspectRatio ?? VIDEO_ASPECT_RATIO;
  let best = { columns: 1, rows: count, width: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const byWidth = (box.width - gap * (columns - 1)) / columns;
    const byHeight = ((box.height - gap * (rows - 1)) / rows) * ratio;
    const width = Math.max(0, Math.min(byWidth, byHeight));
    // On a tie, fewer rows: two people side by side rather than stacked.
    if (width >= best.width) best = { columns, rows, width };
  }
  const { columns, rows, width } = best;
  const height = width / ratio;
  const top = box.y + (box.height - (rows * height + (rows - 1) * gap)) / 2;
  const rects: Rect[] = [];
  for (let index = 0; index < count; index++) {
    const row = Math.floor(index / columns);
    const inRow = row === rows - 1 ? count - row * columns : columns;
    const left = box.x + (box.width - (inRow * width + (inRow - 1) * gap)) / 2;
    const column = index - row * columns;
    rects.push({ x: left + column * (width + gap), y: top + row * (height + gap), width, height });
  }
  return rects;
}

/**
 * Places `count` tiles on a stage of `size`. The first rect is the featured tile in `speaker`
 * and `sidebar`: it gets the most room and the others share a strip, below it in `speaker` (and
 * on a portrait stage), beside it in `sidebar`.
 */
export function layoutTiles(
  layout: Layout,
  count: number,
  size: Size,
  options: LayoutOptions,
): Rect[] {
  const stage: Rect = { x: 0, y: 0, width: size.width, height: size.height };
  if (layout === 'grid' || count <= 1) return gridLayout(count, stage, options);
  const { gap } = options;
  const isPortrait = size.width / Math.max(size.height, 1) < PORTRAIT_BELOW;
  const share = STRIP_SHARE[layout];
  if (layout === 'sidebar' && !isPortrait) {
    const stripWidth = Math.round(size.width * share);
    const main = { ...stage, width: size.width - stripWidth - gap };
    const strip = { ...stage, x: main.width + gap, width: stripWidth };
    return [...gridLayout(1, main, options), ...gridLayout(count - 1, strip, options)];
  }
  const stripHeight = Math.round(size.height * share);
  // On a tall stage a full-width tile needs less than the room left: the group is centred.
  const ratio = options.aspectRatio ?? VIDEO_ASPECT_RATIO;
  const mainHeight = Math.min(size.height - stripHeight - gap, size.width / ratio);
  const top = (size.height - (mainHeight + gap + stripHeight)) / 2;
  const main = { ...stage, y: top, height: mainHeight };
  const strip = { ...stage, y: top + mainHeight + gap, height: stripHeight };
  return [...gridLayout(1, main, options), ...gridLayout(count - 1, strip, options)];
}
