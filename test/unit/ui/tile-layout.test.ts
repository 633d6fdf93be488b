import { expect } from '@open-wc/testing';
import { LAYOUTS } from '../../../src/config.js';
import { gridLayout, layoutTiles, type Rect } from '../../../src/ui/tile-layout.js';

const GAP = 8;
const area = (rect: Rect): number => rect.width * rect.height;

function inside(rect: Rect, size: { width: number; height: number }): boolean {
  const slack = 1e-6;
  return (
    rect.x >= -slack &&
    rect.y >= -slack &&
    rect.x + rect.width <= size.width + slack &&
    rect.y + rect.height <= size.height + slack
  );
}

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const SIZES = [
  { width: 1280, height: 640 },
  { width: 800, height: 330 },
  { width: 390, height: 700 },
  { width: 300, height: 200 },
  { width: 1920, height: 1000 },
];

describe('layoutTiles', () => {
  for (const layout of LAYOUTS) {
    for (const size of SIZES) {
      it(`keeps 1 to 8 tiles in ${layout} inside ${size.width}×${size.height}, apart and 16:9`, () => {
        for (let count = 1; count <= 8; count++) {
          const rects = layoutTiles(layout, count, size, { gap: GAP });
          expect(rects, `${count} tiles`).to.have.length(count);
          for (const rect of rects) {
            expect(inside(rect, size), `${count} tiles: inside`).to.equal(true);
            expect(rect.width / rect.height).to.be.closeTo(16 / 9, 1e-9);
          }
          for (const [i, a] of rects.entries()) {
            for (const b of rects.slice(i + 1)) {
              expect(overlap(a, b), `${count} tiles: apart`).to.equal(false);
            }
          }
          if (layout !== 'grid' && count > 1) {
            expect(area(rects[0])).to.equal(Math.max(...rects.map(area)));
          }
        }
      });
    }
  }

  it('places the small tiles below the featured one in speaker', () => {
    const [featured, ...others] = layoutTiles(
      'speaker',
      4,
      { width: 1280, height: 640 },
      { gap: GAP },
    );
    for (const rect of others) expect(rect.y).to.be.at.least(featured.y + featured.height + GAP);
  });

  it('places the small tiles beside the featured one in sidebar, and below on a portrait stage', () => {
    const [featured, ...others] = layoutTiles(
      'sidebar',
      4,
      { width: 1280, height: 640 },
      { gap: GAP },
    );
    for (const rect of others) expect(rect.x).to.be.at.least(featured.x + featured.width + GAP);
    const [tall, ...below] = layoutTiles('sidebar', 4, { width: 390, height: 700 }, { gap: GAP });
    for (const rect of below) expect(rect.y).to.be.at.least(tall.y + tall.height + GAP);
  });

  it('gives nothing for an unmeasured stage rather than negative sizes', () => {
    for (const rect of layoutTiles('grid', 3, { width: 0, height: 0 }, { gap: GAP })) {
      expect(rect.width).to.equal(0);
      expect(rect.height).to.equal(0);
    }
  });
});

describe('gridLayout', () => {
  const stage = { x: 0, y: 0, width: 1280, height: 720 };
  const table: Array<[count: number, columns: number]> = [
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 2],
    [5, 3],
    [6, 3],
    [7, 3],
    [8, 3],
  ];
  for (const [count, columns] of table) {
    it(`lays ${count} tiles on a 16:9 stage in ${columns} columns`, () => {
      const rects = gridLayout(count, stage, { gap: 0 });
      expect(new Set(rects.map((rect) => rect.y)).size).to.equal(Math.ceil(count / columns));
      expect(rects[0].width).to.be.closeTo(1280 / columns, 1e-9);
    });
  }

  it('picks one column on a tall phone stage', () => {
    const rects = gridLayout(3, { x: 0, y: 0, width: 390, height: 700 }, { gap: GAP });
    expect(new Set(rects.map((rect) => rect.x)).size).to.equal(1);
  });

  it('centres a short last row', () => {
    const rects = gridLayout(3, stage, { gap: 0 });
    const last = rects[2];
    expect(last.x + last.width / 2).to.be.closeTo(640, 1e-9);
  });
});
