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

describe('a room across Firefox and Chromium', () => {
  let stack;
  let server;
  let host;
  let chromium;
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
});
