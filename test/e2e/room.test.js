// Visitors in headless Chromium join rooms on a real rtc-room-server, from a page on another origin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStack,
  assertAudioArrives,
  callWithPlainPeerJs,
  launchChromium,
  openVisitor,
  readEvents,
  readTiles,
  visitRoom,
  waitForRemoteVideo,
  waitForTileCount,
  waitInPage,
} from './harness.js';

/** @typedef {import('./harness.js').Stack} Stack */

describe('a room in Chromium', () => {
  /** @type {Stack} */
  let stack;
  /** @type {Stack['server']} */
  let server;
  /** @type {Stack['host']} */
  let host;
  /** @type {Stack['chromium']} */
  let browser;

  before(async () => {
    stack = await startStack();
    ({ server, host, chromium: browser } = stack);
  });

  after(() => stack?.close());

  const visit = (/** @type {string} */ roomId, /** @type {string} */ name) =>
    visitRoom(browser, host, server, roomId, name);

  it('shows every visitor of three the other two, with moving video and sound', async () => {
    const roomId = crypto.randomUUID();
    const pages = [];
    for (const name of ['Ada', 'Grace', 'Linus']) pages.push(await visit(roomId, name));
    try {
      // The server named Ada and Grace as it registered Linus: he asked for no list to call them.
      const linus = pages[2];
      await waitInPage(
        linus,
        () => document.querySelector('rtc-room').state === 'joined',
        null,
        'Linus joined',
      );
      const lists = await linus.evaluate(
        () =>
          performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/peers'))
            .length,
      );
      assert.equal(lists, 0, 'room lists requested before the calls');
      for (const page of pages) {
        const remote = await waitForRemoteVideo(page, 2);
        assert.equal(remote.length, 2, 'two remote tiles');
        for (const tile of remote) {
          assert.ok(tile.videoWidth > 0, `${tile.name} has a decoded frame`);
          assert.ok(tile.advanced, `${tile.name}'s video advances`);
        }
      }
      const names = (await readTiles(pages[0])).map((tile) => tile.name).sort();
      assert.deepEqual(names, ['Ada (you)', 'Grace', 'Linus']);
      for (const page of pages) await assertAudioArrives(page, 2);
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('connects two visitors who join at the same instant exactly once', async () => {
    const roomId = crypto.randomUUID();
    const pages = await Promise.all([visit(roomId, 'Left'), visit(roomId, 'Right')]);
    try {
      for (const page of pages) await waitForRemoteVideo(page, 1);
      // Past a re-check round, so a duplicate dial would have shown by now.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      for (const page of pages) {
        const tiles = await readTiles(page);
        assert.equal(tiles.length, 2, 'one local and one remote tile');
        const joins = (await readEvents(page)).filter((event) => event.type === 'rtc-peer-join');
        assert.equal(joins.length, 1, 'the other visitor joined once');
        const leaves = (await readEvents(page)).filter((event) => event.type === 'rtc-peer-leave');
        assert.equal(leaves.length, 0, 'and never left');
      }
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('removes the tile of a visitor who closes the tab', async () => {
    const roomId = crypto.randomUUID();
    const stays = await visit(roomId, 'Stays');
    const goes = await visit(roomId, 'Goes');
    try {
      await waitForRemoteVideo(stays, 1);
      await goes.close({ runBeforeUnload: true });
      await waitForTileCount(stays, 1, 'the closed tab’s tile to go', 10_000);
      const events = await readEvents(stays);
      assert.deepEqual(
        events
          .filter((event) => event.type === 'rtc-peer-leave')
          .map((event) => event.detail.participant.name),
        ['Goes'],
      );
    } finally {
      await stays.close();
      if (!goes.isClosed()) await goes.close();
    }
  });

  it('removes the tile of a visitor whose browser vanishes without a goodbye', async () => {
    const roomId = crypto.randomUUID();
    const stays = await visit(roomId, 'Stays');
    const other = await launchChromium();
    try {
      const vanishes = await visitRoom(other, host, server, roomId, 'Vanishes');
      await waitForRemoteVideo(stays, 1);
      await waitForRemoteVideo(vanishes, 1);
      // Killing the process sends no pagehide, no bye and no close: only the connection state tells.
      other.process()?.kill('SIGKILL');
      await waitForTileCount(stays, 1, 'the vanished visitor’s tile to go', 30_000);
    } finally {
      await stays.close();
      await other.close().catch(() => undefined);
    }
  });

  it('lets a visitor who refuses the camera and microphone join to listen, and says why', async () => {
    const roomId = crypto.randomUUID();
    const talker = await visit(roomId, 'Talker');
    const refusing = await launchChromium({ grantsMedia: false });
    try {
      const listener = await visitRoom(refusing, host, server, roomId, 'Listener');
      const remote = await waitForRemoteVideo(listener, 1);
      assert.ok(remote[0].advanced, 'the listener sees the talker');
      const events = await readEvents(listener);
      const codes = events
        .filter((event) => event.type === 'rtc-error')
        .map((event) => event.detail.code);
      assert.ok(codes.includes('permission-denied'), `permission-denied reported, got ${codes}`);
      const notice = await listener.evaluate(
        () =>
          document.querySelector('rtc-room').shadowRoot.querySelector('[part="notice"]')
            ?.textContent,
      );
      assert.match(notice ?? '', /refused/);
      await listener.evaluate(() => {
        const dismiss = document
          .querySelector('rtc-room')
          .shadowRoot.querySelector('[part="notice"] .dismiss');
        if (!(dismiss instanceof HTMLElement)) throw new Error('the notice has no dismiss button');
        dismiss.click();
      });
      await waitInPage(
        listener,
        () => !document.querySelector('rtc-room').shadowRoot.querySelector('[part="notice"]'),
        undefined,
        'the dismissed notice to go',
      );
      // The talker sees the listener's tile with a placeholder, not a black video.
      await waitInPage(
        talker,
        () => {
          const tiles = document
            .querySelector('rtc-room')
            .shadowRoot.querySelectorAll('[part~="tile"]');
          return tiles.length === 2 && tiles[1].querySelector('[part="placeholder"]');
        },
        undefined,
        'the listener’s placeholder tile',
      );
    } finally {
      await talker.close();
      await refusing.close();
    }
  });

  it('shows a placeholder, not a frozen frame, when a visitor turns the camera off, and video again when on', async () => {
    const roomId = crypto.randomUUID();
    const watcher = await visit(roomId, 'Watcher');
    const toggler = await visit(roomId, 'Toggler');
    try {
      await waitForRemoteVideo(watcher, 1);
      await toggler.evaluate(() => document.querySelector('rtc-room').setCameraEnabled(false));
      await waitInPage(
        watcher,
        () =>
          document
            .querySelector('rtc-room')
            .shadowRoot.querySelector('[part~="tile"]:nth-child(2) [part="placeholder"]'),
        undefined,
        'the placeholder',
      );
      await toggler.evaluate(() => document.querySelector('rtc-room').setCameraEnabled(true));
      const remote = await waitForRemoteVideo(watcher, 1);
      assert.ok(remote[0].advanced, 'video moves again');
      assert.equal(remote[0].hasPlaceholder, false);
    } finally {
      await watcher.close();
      await toggler.close();
    }
  });

  it('still serves a plain PeerJS client, without the widget, as an ordinary PeerServer', async () => {
    const { elapsed, width } = await callWithPlainPeerJs(browser, host, server);
    assert.ok(elapsed > 0);
    assert.ok(width > 0, 'the caller shows the answerer’s video');
  });

  it('makes no peer connection until a visitor joins, and never patches WebRTC', async () => {
    const roomId = crypto.randomUUID();
    const page = await openVisitor(
      browser,
      host.url,
      server.url,
      { 'room-id': roomId },
      {
        beforeLoad: () => {
          const Original = window.RTCPeerConnection;
          window.peerConnectionsMade = 0;
          // A plain function in the constructor's place, as a host page's own wrapper would be.
          window.RTCPeerConnection = /** @type {typeof RTCPeerConnection} */ (
            /** @type {unknown} */ (
              function (/** @type {ConstructorParameters<typeof RTCPeerConnection>} */ ...args) {
                window.peerConnectionsMade++;
                return new Original(...args);
              }
            )
          );
          window.RTCPeerConnection.prototype = Original.prototype;
          window.ourRTCPeerConnection = window.RTCPeerConnection;
          window.originalMethods = Object.getOwnPropertyNames(Original.prototype).map(
            (name) => Object.getOwnPropertyDescriptor(Original.prototype, name)?.value,
          );
        },
      },
    );
    try {
      await waitInPage(
        page,
        () => document.querySelector('rtc-room')?.state === 'prejoin',
        undefined,
        'the widget to load',
      );
      const untouched = await page.evaluate(() => ({
        made: window.peerConnectionsMade,
        sameConstructor: window.RTCPeerConnection === window.ourRTCPeerConnection,
        sameMethods: Object.getOwnPropertyNames(RTCPeerConnection.prototype).every(
          (name, index) =>
            Object.getOwnPropertyDescriptor(RTCPeerConnection.prototype, name)?.value ===
            window.originalMethods[index],
        ),
      }));
      assert.deepEqual(untouched, { made: 0, sameConstructor: true, sameMethods: true });
      await page.evaluate(() => document.querySelector('rtc-room').join());
      await waitInPage(
        page,
        () => document.querySelector('rtc-room').state === 'joined',
        undefined,
        'the join',
      );
      // Someone else arrives: the call goes through the page's own, unpatched RTCPeerConnection.
      const other = await visit(roomId, 'Other');
      await waitInPage(page, () => window.peerConnectionsMade > 0, undefined, 'a peer connection');
      const afterJoin = await page.evaluate(() => ({
        sameConstructor: window.RTCPeerConnection === window.ourRTCPeerConnection,
        sameMethods: Object.getOwnPropertyNames(RTCPeerConnection.prototype).every(
          (name, index) =>
            Object.getOwnPropertyDescriptor(RTCPeerConnection.prototype, name)?.value ===
            window.originalMethods[index],
        ),
      }));
      assert.deepEqual(afterJoin, { sameConstructor: true, sameMethods: true });
      await other.close();
    } finally {
      await page.close();
    }
  });
});
