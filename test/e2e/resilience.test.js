// What visitors see when the room is full, and when the server goes away mid-call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  readEvents,
  startRoomServer,
  useHostAndChromium,
  visitRoom,
  waitForRemoteVideo,
  waitInPage,
} from './harness.js';

describe('a room under strain', () => {
  const suite = useHostAndChromium();

  it('turns away a visitor beyond the room size with room-full', async () => {
    const server = await startRoomServer(['--max-room-size', '2']);
    const roomId = crypto.randomUUID();
    const visit = (/** @type {string} */ name) =>
      visitRoom(suite.browser, suite.host, server, roomId, name);
    const pages = [await visit('One'), await visit('Two')];
    try {
      await waitForRemoteVideo(pages[0], 1);
      pages.push(await visit('Three'));
      await waitInPage(
        pages[2],
        () => document.querySelector('rtc-room').state === 'error',
        undefined,
        'the error state',
      );
      const codes = (await readEvents(pages[2]))
        .filter((event) => event.type === 'rtc-error')
        .map((event) => event.detail.code);
      assert.deepEqual(codes, ['room-full']);
      const text = await pages[2].evaluate(
        () =>
          document.querySelector('rtc-room').shadowRoot.querySelector('[part="status"]')
            ?.textContent,
      );
      assert.match(text ?? '', /This room is full/);
    } finally {
      await Promise.all(pages.map((page) => page.close()));
      await server.close();
    }
  });

  it('keeps a call going when the server goes away, and says so', async () => {
    const server = await startRoomServer();
    const roomId = crypto.randomUUID();
    const visit = (/** @type {string} */ name) =>
      visitRoom(suite.browser, suite.host, server, roomId, name);
    const pages = [await visit('One'), await visit('Two')];
    try {
      await waitForRemoteVideo(pages[0], 1);
      await waitForRemoteVideo(pages[1], 1);
      await server.close();
      for (const page of pages) {
        await waitInPage(
          page,
          () =>
            window.rtcEvents.some(
              (e) => e.type === 'rtc-error' && e.detail.code === 'signalling-lost',
            ),
          undefined,
          'signalling-lost',
        );
        const notice = await page.evaluate(
          () =>
            document.querySelector('rtc-room').shadowRoot.querySelector('[part="notice"]')
              ?.textContent,
        );
        assert.match(notice ?? '', /reconnects/);
        const remote = await waitForRemoteVideo(page, 1);
        assert.ok(remote[0].advanced, 'video goes on without the server');
        assert.equal(await page.evaluate(() => document.querySelector('rtc-room').state), 'joined');
      }
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });
});
