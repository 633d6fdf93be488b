// What a person would notice of a video across a change: the same tile and video element, and
// frames that keep coming.

/** @typedef {import('puppeteer-core').Page} Page */

/**
 * Marks every remote tile and its video element in each page, and returns the frames each has
 * shown so far (decoded frames: a frozen video's clock may still run).
 * @param {Page[]} pages
 */
export function markTiles(pages) {
  return Promise.all(
    pages.map((page) =>
      page.evaluate(() => {
        const root = document.querySelector('rtc-room').shadowRoot;
        const tiles = [...root.querySelectorAll('[part~="tile"]:not([part~="tile-local"])')];
        window.labTiles = tiles.map((tile) => [tile, tile.querySelector('video')]);
        // Firefox leaves totalVideoFrames at 0 for a stream, and counts painted frames instead.
        window.labFramesOf = (
          /** @type {HTMLVideoElement & { mozPaintedFrames?: number }} */ video,
        ) => video.mozPaintedFrames ?? video.getVideoPlaybackQuality().totalVideoFrames;
        return tiles.map((tile) => window.labFramesOf(tile.querySelector('video')));
      }),
    ),
  );
}

/**
 * The frames each marked tile's video has shown, or null where a marked tile or its video is no
 * longer the one in the page (removed, or made anew).
 * @param {Page[]} pages
 */
export function readMarkedFrames(pages) {
  return Promise.all(
    pages.map((page) =>
      page.evaluate(() => {
        const root = document.querySelector('rtc-room').shadowRoot;
        return window.labTiles.map(([tile, video]) =>
          root.contains(tile) && tile.querySelector('video') === video
            ? window.labFramesOf(video)
            : null,
        );
      }),
    ),
  );
}
