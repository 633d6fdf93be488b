// What a call offers beyond seeing and hearing: the active speaker, pinning and full screen, in
// Chromium and Firefox.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readEvents, startStack, visitRoom, waitForRemoteVideo, waitInPage } from './harness.js';

/** @typedef {import('./harness.js').Page} Page */

/**
 * The name on the tile the page shows as the active speaker, or null.
 * @param {Page} page
 */
function speakingTileName(page) {
  return page.evaluate(
    () =>
      document
        .querySelector('rtc-room')
        .shadowRoot.querySelector('[part~="tile-speaking"] [part="name"]')
        ?.textContent.trim() ?? null,
  );
}

/**
 * @param {Page} page
 * @param {string} name
 */
function waitForSpeaker(page, name) {
  return waitInPage(
    page,
    (expected) =>
      document
        .querySelector('rtc-room')
        .shadowRoot.querySelector('[part~="tile-speaking"] [part="name"]')
        ?.textContent.trim() === expected,
    name,
    `${name} shown as the active speaker`,
  );
}

/**
 * @param {Page} page
 * @param {boolean} on
 */
function setMicrophone(page, on) {
  return page.evaluate(
    (value) => document.querySelector('rtc-room').setMicrophoneEnabled(value),
    on,
  );
}

describe('a call', () => {
  /** @type {import('./harness.js').Stack<true>} */
  let stack;

  before(async () => {
    stack = await startStack({ firefox: true });
  });

  after(() => stack?.close());

  it('follows whoever speaks, in Chromium and Firefox, and the speaker layout shows them large', async () => {
    const { chromium, firefox, host, server } = stack;
    const roomId = crypto.randomUUID();
    // Only Grace's microphone is on at first.
    const ada = await visitRoom(chromium, host, server, roomId, 'Ada', {
      muted: '',
      layout: 'speaker',
    });
    const fox = await visitRoom(firefox, host, server, roomId, 'Fox', { muted: '' });
    const grace = await visitRoom(chromium, host, server, roomId, 'Grace');
    const pages = [ada, fox, grace];
    try {
      for (const page of pages) await waitForRemoteVideo(page, 2);
      await waitForSpeaker(ada, 'Grace');
      await waitForSpeaker(fox, 'Grace');
      const featured = await ada.evaluate(() =>
        document
          .querySelector('rtc-room')
          .shadowRoot.querySelector('[part~="tile-featured"] [part="name"]')
          ?.textContent.trim(),
      );
      assert.equal(featured, 'Grace', 'the speaker layout shows the speaker large');
      const events = (await readEvents(ada)).filter((event) => event.type === 'rtc-speaker');
      assert.equal(events.at(-1)?.detail.participant?.name, 'Grace');

      // Grace falls silent and Ada speaks: the others follow Ada; a silence keeps no one new.
      await setMicrophone(grace, false);
      await setMicrophone(ada, true);
      await waitForSpeaker(grace, 'Ada');
      await waitForSpeaker(fox, 'Ada');
      assert.equal(await speakingTileName(ada), 'Grace', 'nobody else spoke to Ada since');
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('shares a screen that Chromium and Firefox visitors see as a tile of its own', async () => {
    const { chromium, firefox, host, server } = stack;
    const roomId = crypto.randomUUID();
    const ada = await visitRoom(chromium, host, server, roomId, 'Ada', { muted: '' });
    const grace = await visitRoom(chromium, host, server, roomId, 'Grace', {
      muted: '',
      layout: 'speaker',
    });
    const fox = await visitRoom(firefox, host, server, roomId, 'Fox', { muted: '' });
    const pages = [ada, grace, fox];
    const screenFrames = (/** @type {Page} */ page) =>
      waitInPage(
        page,
        () => {
          const tile = document
            .querySelector('rtc-room')
            .shadowRoot.querySelector('[part~="tile-screen"]');
          return (
            (tile?.querySelector('video')?.videoWidth ?? 0) > 0 && tile?.getAttribute('aria-label')
          );
        },
        undefined,
        'a shared screen with frames',
      );
    try {
      for (const page of pages) await waitForRemoteVideo(page, 2);
      await ada.bringToFront();
      // A real click: browsers share a screen only on a gesture (Chromium's fake screen here).
      await ada.click('rtc-room >>> [data-action="screen"]');
      for (const page of pages) {
        const label = await (await screenFrames(page)).jsonValue();
        assert.equal(label, 'Ada’s screen');
      }
      const featured = await grace.$eval('rtc-room >>> [part~="tile-featured"]', (tile) =>
        tile.matches('[part~="tile-screen"]'),
      );
      assert.ok(featured, 'the speaker layout gives the screen the large slot');
      await ada.click('rtc-room >>> [data-action="screen"]');
      for (const page of [grace, fox]) {
        await waitInPage(
          page,
          () =>
            !document.querySelector('rtc-room').shadowRoot.querySelector('[part~="tile-screen"]'),
          undefined,
          'the screen tile to go',
        );
      }
      const [remote] = await waitForRemoteVideo(fox, 2);
      assert.ok(remote.advanced, 'the call goes on');
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('pins a tile and shows a tile and the room full screen on a real click', async () => {
    const { chromium, host, server } = stack;
    const roomId = crypto.randomUUID();
    const ada = await visitRoom(chromium, host, server, roomId, 'Ada', { muted: '' });
    const grace = await visitRoom(chromium, host, server, roomId, 'Grace', { muted: '' });
    try {
      await waitForRemoteVideo(ada, 1);
      await ada.bringToFront();
      const graceTile = 'rtc-room >>> [part~="tile"]:not([part~="tile-local"])';
      await ada.click(`${graceTile} [data-action="pin"]`);
      await waitInPage(
        ada,
        () =>
          document
            .querySelector('rtc-room')
            .shadowRoot.querySelector('[part~="tile-featured"]:not([part~="tile-local"])'),
        undefined,
        'the pinned tile to be featured',
      );
      await ada.click(`${graceTile} [data-action="fullscreen-tile"]`);
      await waitInPage(
        ada,
        () =>
          document
            .querySelector('rtc-room')
            .shadowRoot.fullscreenElement?.getAttribute('data-peer-id'),
        undefined,
        'the tile to fill the screen',
      );
      await ada.evaluate(() => document.exitFullscreen());
      await waitInPage(ada, () => !document.fullscreenElement, undefined, 'full screen to end');
      await ada.click('rtc-room >>> [data-action="fullscreen"]');
      await waitInPage(
        ada,
        () => document.fullscreenElement === document.querySelector('rtc-room'),
        undefined,
        'the room to fill the screen',
      );
      // The button is drawn anew after the document's fullscreenchange, a frame after the element.
      await waitInPage(
        ada,
        () =>
          document
            .querySelector('rtc-room')
            .shadowRoot.querySelector('[data-action="fullscreen"]')
            ?.getAttribute('aria-label') === 'Exit full screen',
        undefined,
        'the button to offer to leave full screen',
      );
      const [remote] = await waitForRemoteVideo(ada, 1);
      assert.ok(remote.advanced, 'the video goes on in full screen');
    } finally {
      await Promise.all([ada.close(), grace.close()]);
    }
  });
});
