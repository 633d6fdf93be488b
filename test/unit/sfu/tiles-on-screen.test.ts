import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { TilesOnScreen } from '../../../src/sfu/tiles-on-screen.js';

/** Two tiles 100 px high in a box 90 px high that scrolls, and a watcher that counts changes. */
async function stage() {
  const box = await fixture<HTMLDivElement>(html`
    <div style="height: 90px; overflow: auto">
      <figure data-peer-id="a" style="height: 100px; margin: 0"></figure>
      <figure data-peer-id="b" style="height: 100px; margin: 0"></figure>
    </div>
  `);
  let changes = 0;
  const tiles = new TilesOnScreen(() => (changes += 1));
  return { box, tiles, changes: () => changes };
}

describe('TilesOnScreen', () => {
  let watcher: TilesOnScreen | undefined;
  afterEach(() => watcher?.close());

  it('counts a tile as seen until its first reading', async () => {
    const { tiles } = await stage();
    watcher = tiles;
    expect(tiles.isSeen('a')).to.equal(true);
    expect(tiles.isSeen('unknown')).to.equal(true);
  });

  it('tells when a tile scrolls out of sight and back', async () => {
    const { box, tiles, changes } = await stage();
    watcher = tiles;
    tiles.watch(box);
    await waitUntil(() => !tiles.isSeen('b'), 'b, below the box, unseen');
    expect(tiles.isSeen('a')).to.equal(true);
    const before = changes();
    box.scrollTop = 110;
    await waitUntil(() => !tiles.isSeen('a'), 'a, scrolled away, unseen');
    await waitUntil(() => tiles.isSeen('b'), 'b, scrolled into the box, seen');
    expect(changes()).to.be.above(before);
  });

  it('counts the tiles of a hidden stage as unseen', async () => {
    const { box, tiles } = await stage();
    watcher = tiles;
    tiles.watch(box);
    await waitUntil(() => !tiles.isSeen('b'));
    box.hidden = true;
    await waitUntil(() => !tiles.isSeen('a'), 'a, in the hidden box, unseen');
  });

  it('watches a tile rendered later, and lets a removed one go', async () => {
    const { box, tiles } = await stage();
    watcher = tiles;
    tiles.watch(box);
    await waitUntil(() => !tiles.isSeen('b'));
    box.querySelector('[data-peer-id="a"]')!.remove();
    const late = document.createElement('figure');
    late.dataset.peerId = 'c';
    late.style.cssText = 'height: 200px; margin: 0';
    box.append(late);
    tiles.watch(box);
    await waitUntil(() => tiles.isSeen('b'), 'b, moved up into the box, seen');
    await waitUntil(() => !tiles.isSeen('c'), 'c, below b, unseen');
  });

  it('counts every tile as unseen while the page is hidden, and tells when it shows', async () => {
    const { tiles, changes } = await stage();
    watcher = tiles;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    try {
      document.dispatchEvent(new Event('visibilitychange'));
      expect(changes()).to.equal(1);
      expect(tiles.isSeen('a')).to.equal(false);
    } finally {
      delete (document as { hidden?: boolean }).hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
    expect(changes()).to.equal(2);
    expect(tiles.isSeen('a')).to.equal(true);
  });

  it('stops telling once closed', async () => {
    const { box, tiles, changes } = await stage();
    tiles.watch(box);
    tiles.close();
    box.scrollTop = 110;
    document.dispatchEvent(new Event('visibilitychange'));
    await new Promise(requestAnimationFrame);
    await new Promise(requestAnimationFrame);
    expect(changes()).to.equal(0);
  });
});
