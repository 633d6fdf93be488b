// A Firefox ESR visitor and Chromium visitors in one room: media plays in both directions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack,
  assertAudioArrives,
  visitRoom,
  readTiles,
  waitForRemoteVideo,
} from './harness.js';

/** @typedef {import('./harness.js').Stack<true>} Stack */

/**
 * Runs in a visitor's page before the widget loads: records the bundle policy of every peer
 * connection made and the media section of every ICE candidate it gathers.
 */
function recordCandidates() {
  const Original = window.RTCPeerConnection;
  window.gathered = { policies: [], sections: [] };
  // A plain function in the constructor's place, as a host page's own wrapper would be.
  window.RTCPeerConnection = /** @type {typeof RTCPeerConnection} */ (
    /** @type {unknown} */ (
      function (/** @type {ConstructorParameters<typeof RTCPeerConnection>} */ ...args) {
        const connection = new Original(...args);
        window.gathered.policies.push(connection.getConfiguration().bundlePolicy);
        connection.addEventListener('icecandidate', ({ candidate }) => {
          if (candidate?.candidate) window.gathered.sections.push(candidate.sdpMLineIndex);
        });
        return connection;
      }
    )
  );
  window.RTCPeerConnection.prototype = Original.prototype;
}

describe('a room across Firefox and Chromium', () => {
  /** @type {Stack} */
  let stack;
  /** @type {Stack['server']} */
  let server;
  /** @type {Stack['host']} */
  let host;
  /** @type {Stack['chromium']} */
  let chromium;
  /** @type {Stack['firefox']} */
  let firefox;

  before(async () => {
    stack = await startStack({ firefox: true });
    ({ server, host, chromium, firefox } = stack);
  });

  after(() => stack?.close());

  it('plays video and sound both ways between a Firefox visitor and two Chromium visitors', async () => {
    const roomId = crypto.randomUUID();
    const chromePages = [
      await visitRoom(chromium, host, server, roomId, 'Chromium 1'),
      await visitRoom(chromium, host, server, roomId, 'Chromium 2'),
    ];
    const firefoxPage = await visitRoom(firefox, host, server, roomId, 'Firefox');
    for (const page of [firefoxPage, ...chromePages]) {
      const remote = await waitForRemoteVideo(page, 2);
      for (const tile of remote) assert.ok(tile.advanced, `${tile.name}'s video advances`);
    }
    const seenByFirefox = (await readTiles(firefoxPage)).map((tile) => tile.name).sort();
    assert.deepEqual(seenByFirefox, ['Chromium 1', 'Chromium 2', 'Firefox (you)']);
    for (const page of [firefoxPage, chromePages[0]]) await assertAudioArrives(page, 2);
  });

  it('gathers one transport per call in both browsers, not one per media type', async () => {
    const roomId = crypto.randomUUID();
    const recording = { beforeLoad: recordCandidates };
    const pages = [
      await visitRoom(chromium, host, server, roomId, 'Chromium', {}, recording),
      await visitRoom(firefox, host, server, roomId, 'Firefox', {}, recording),
    ];
    try {
      for (const page of pages) await waitForRemoteVideo(page, 1);
      /** @type {[import('./harness.js').Page, string][]} */
      const named = [
        [pages[0], 'Chromium'],
        [pages[1], 'Firefox'],
      ];
      for (const [page, name] of named) {
        const { policies, sections } = await page.evaluate(() => window.gathered);
        assert.ok(policies.length > 0, `${name} made a peer connection`);
        assert.ok(
          policies.every((policy) => policy === 'max-bundle'),
          `${name}'s bundle policies: ${policies}`,
        );
        assert.ok(sections.length > 0, `${name} gathered candidates`);
        // Audio, video and data share the first section's transport.
        assert.deepEqual(
          new Set(sections),
          new Set([0]),
          `${name} gathered for sections ${sections}`,
        );
      }
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });
});
