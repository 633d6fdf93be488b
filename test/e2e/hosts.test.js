// Hosts and the door (issue 23), in Chromium and Firefox against a real server: a host creates a
// room and locks it, a newcomer knocks and is let in, another is turned away, a guest is removed
// and cannot come back, a token's name wins over a forged hello, hands and reactions reach the
// others.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import {
  openVisitor,
  readEvents,
  readTiles,
  startRoomServer,
  startStack,
  visitRoom,
  waitForRemoteVideo,
  waitInPage,
} from './harness.js';

/** @typedef {import('./harness.js').Page} Page */
/** @typedef {import('./harness.js').Stack<true, false>} Stack */

const JOIN_SECRET = 'end-to-end-join-secret-0123456789';

/**
 * Waits until the page's element is in `state`.
 * @param {Page} page
 * @param {string} state
 */
const waitForState = (page, state) =>
  waitInPage(
    page,
    (expected) => document.querySelector('rtc-room')?.state === expected,
    state,
    `the ${state} state`,
  );

/**
 * Waits until the element's shadow root holds `selector`.
 * @param {Page} page
 * @param {string} selector
 * @param {number} [timeout]
 */
const waitForPart = (page, selector, timeout) =>
  waitInPage(
    page,
    (css) => document.querySelector('rtc-room').shadowRoot.querySelector(css),
    selector,
    selector,
    timeout,
  );

/**
 * Clicks the element of the shadow root `selector` names, as a person would.
 * @param {Page} page
 * @param {string} selector
 */
async function click(page, selector) {
  const handle = await waitForPart(page, selector);
  await /** @type {import('puppeteer-core').ElementHandle<Element>} */ (handle).click();
}

/**
 * The codes of the rtc-error events a page saw.
 * @param {Page} page
 */
async function errorCodes(page) {
  return (await readEvents(page))
    .filter((event) => event.type === 'rtc-error')
    .map((event) => event.detail.code);
}

/**
 * The page's own peer ID.
 * @param {Page} page
 */
const selfId = (page) =>
  page.evaluate(() => document.querySelector('rtc-room').participants[0]?.id ?? '');

describe('hosts and the door', () => {
  /** @type {Stack} */
  let stack;
  before(async () => {
    stack = await startStack({ firefox: true });
  });
  after(() => stack?.close());

  it('a host locks the room, admits one knocker, turns another away and removes a guest for good', async () => {
    const { server, host, chromium, firefox } = stack;
    /** @type {Page[]} */
    const pages = [];
    try {
      // The host creates the room in the lobby: the server makes it, the browser keeps its key.
      const hostPage = await openVisitor(chromium, host.url, server.url, {
        name: 'Hana',
        muted: '',
      });
      pages.push(hostPage);
      const createButton = await waitInPage(
        hostPage,
        () =>
          [...document.querySelector('rtc-room').shadowRoot.querySelectorAll('button')].find(
            (button) => button.textContent?.trim() === 'Create room',
          ),
        undefined,
        'the lobby',
      );
      await /** @type {import('puppeteer-core').ElementHandle<HTMLButtonElement>} */ (
        createButton
      ).click();
      await waitForState(hostPage, 'prejoin');
      const roomId = await hostPage.evaluate(() => document.querySelector('rtc-room').roomId);
      assert.ok(
        await hostPage.evaluate(
          (id) => localStorage.getItem(`rtc-room:host:${id}`) !== null,
          roomId,
        ),
        'the host key is kept in the browser',
      );
      assert.ok(!(await hostPage.url()).includes('#'), 'the share link carries no key');
      await hostPage.evaluate(() => document.querySelector('rtc-room').join());
      await waitForState(hostPage, 'joined');
      await waitInPage(
        hostPage,
        () => document.querySelector('rtc-room').participants[0]?.role === 'host',
        undefined,
        'the host role',
      );
      await click(hostPage, '[part~="host-panel"] button[data-action="lock"]');
      await waitInPage(
        hostPage,
        () => document.querySelector('rtc-room').locked,
        undefined,
        'the room locked',
      );
      assert.ok(
        (await readEvents(hostPage)).some(
          (event) => event.type === 'rtc-room-lock' && event.detail.locked,
        ),
      );

      // A newcomer (Firefox) knocks with its name and waits; the host admits it from the panel.
      const kimPage = await visitRoom(firefox, host, server, roomId, 'Kim');
      pages.push(kimPage);
      await waitForState(kimPage, 'waiting');
      await waitForPart(kimPage, '[part~="waiting"]');
      await waitInPage(
        hostPage,
        () => document.querySelector('rtc-room').knocking.some((knocker) => knocker.name === 'Kim'),
        undefined,
        'Kim knocking',
      );
      assert.ok(
        (await readEvents(hostPage)).some(
          (event) => event.type === 'rtc-knock' && event.detail.knocker.name === 'Kim',
        ),
      );
      await click(hostPage, '[part~="knock-panel"] button[data-action="admit"]');
      await waitForState(kimPage, 'joined');
      await waitForRemoteVideo(kimPage, 1);
      await waitForRemoteVideo(hostPage, 1);
      const kimId = await selfId(kimPage);

      // Another is turned away (from Firefox too: a page of the host's browser holds its key).
      const danPage = await visitRoom(firefox, host, server, roomId, 'Dan');
      pages.push(danPage);
      await waitForState(danPage, 'waiting');
      const danKnock = await waitInPage(
        hostPage,
        () =>
          document.querySelector('rtc-room').knocking.find((knocker) => knocker.name === 'Dan')?.id,
        undefined,
        'Dan knocking',
      );
      const danId = await danKnock.jsonValue();
      await hostPage.evaluate((id) => document.querySelector('rtc-room').deny(id), danId);
      await waitForState(danPage, 'error');
      assert.deepEqual(await errorCodes(danPage), ['denied']);
      assert.equal((await readTiles(hostPage)).length, 2, 'nobody came in');

      // A guest may not lock the room.
      const refusal = await kimPage.evaluate(() =>
        document
          .querySelector('rtc-room')
          .lockRoom()
          .then(
            () => 'locked',
            (/** @type {{ code?: string }} */ error) => error.code,
          ),
      );
      assert.equal(refusal, 'not-host');

      // The host removes the guest: its page says so, the host's tile goes within 2 s.
      await hostPage.evaluate(
        (id) => document.querySelector('rtc-room').removeParticipant(id),
        kimId,
      );
      await waitForPart(kimPage, '[part~="removed"]');
      assert.ok((await errorCodes(kimPage)).includes('removed'));
      await waitInPage(
        hostPage,
        (id) =>
          !document
            .querySelector('rtc-room')
            .participants.some((participant) => participant.id === id),
        kimId,
        'the removed guest gone',
        2_000,
      );

      // A reload of the same tab is refused too.
      await kimPage.reload();
      await waitForState(kimPage, 'error');
      assert.deepEqual(await errorCodes(kimPage), ['removed']);
      await waitForPart(kimPage, '[part~="removed"]');
      assert.equal((await readTiles(hostPage)).length, 1, 'the host is alone');
    } finally {
      for (const page of pages) await page.close();
    }
  });

  it('shows a raised hand and a reaction on the other screen', async () => {
    const { server, host, chromium, firefox } = stack;
    const roomId = crypto.randomUUID();
    const ada = await visitRoom(chromium, host, server, roomId, 'Ada', { muted: '' });
    const bob = await visitRoom(firefox, host, server, roomId, 'Bob', { muted: '' });
    try {
      await waitForRemoteVideo(ada, 1);
      await waitForRemoteVideo(bob, 1);
      const bobId = await selfId(bob);
      await click(bob, '[part~="controls"] button[data-action="hand"]');
      await waitInPage(
        ada,
        (id) =>
          document.querySelector('rtc-room').participants.find((p) => p.id === id)?.handRaised &&
          document
            .querySelector('rtc-room')
            .shadowRoot.querySelector(`[data-peer-id="${id}"] [part~="hand"]`),
        bobId,
        'Bob’s raised hand on Ada’s screen',
      );
      await ada.evaluate(() => document.querySelector('rtc-room').react('🎉'));
      const adaId = await selfId(ada);
      await waitInPage(
        bob,
        (id) =>
          document
            .querySelector('rtc-room')
            .shadowRoot.querySelector(`[data-peer-id="${id}"] [part~="reaction"]`)
            ?.textContent?.includes('🎉'),
        adaId,
        'Ada’s reaction over her tile on Bob’s screen',
      );
      const reactions = (await readEvents(bob)).filter((event) => event.type === 'rtc-reaction');
      assert.deepEqual(
        reactions.map((event) => [event.detail.participant.id, event.detail.emoji]),
        [[adaId, '🎉']],
      );
    } finally {
      await ada.close();
      await bob.close();
    }
  });

  it('in a token room, the name the server vouches for wins over a forged hello', async () => {
    const { host, chromium, firefox } = stack;
    const server = await startRoomServer(['--join-secret', JOIN_SECRET]);
    const roomId = crypto.randomUUID();
    /** @param {string} name */
    const tokenFor = (name) =>
      new SignJWT({ room: roomId, name })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(JOIN_SECRET));
    // Grace's token, but her page says "Ada" in its hello.
    const grace = await visitRoom(chromium, host, server, roomId, 'Ada', {
      token: await tokenFor('Grace'),
    });
    const bob = await visitRoom(firefox, host, server, roomId, '', {
      token: await tokenFor('Bob'),
    });
    try {
      await waitForRemoteVideo(bob, 1);
      const seen = await waitInPage(
        bob,
        () => {
          const other = document.querySelector('rtc-room').participants.find((p) => !p.isLocal);
          return other?.verified && other.name;
        },
        undefined,
        'a vouched name',
      );
      assert.equal(await seen.jsonValue(), 'Grace');
      const tiles = await readTiles(bob);
      assert.ok(tiles.some((tile) => !tile.isLocal && tile.name?.startsWith('Grace')));
      assert.ok(!tiles.some((tile) => tile.name?.includes('Ada')), 'the forged name shows nowhere');
    } finally {
      await grace.close();
      await bob.close();
      await server.close();
    }
  });
});
