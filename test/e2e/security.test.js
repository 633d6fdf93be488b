// Nobody gets in uninvited, a stranger's PeerJS data connection or call is refused, and two
// visitors can check that nobody sits in the middle of their call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import {
  readEvents,
  startRoomServer,
  useHostAndChromium,
  visitRoom,
  waitForRemoteVideo,
  waitInPage,
} from './harness.js';

const JOIN_SECRET = 'end-to-end-join-secret-0123456789';

/** @typedef {import('./harness.js').Page} Page */

/**
 * A join token as the host site's backend signs it.
 * @param {string} room
 * @param {string} name
 * @param {string | number} [expiresIn] as jose reads it: a span, or seconds since the epoch
 * @param {string} [secret]
 */
function signJoinToken(room, name, expiresIn = '5m', secret = JOIN_SECRET) {
  return new SignJWT({ room, name })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Waits until the page's element is in `state`.
 * @param {Page} page
 * @param {string} state
 * @param {string} [what]
 */
const waitForState = (page, state, what = `the ${state} state`) =>
  waitInPage(
    page,
    (expected) => document.querySelector('rtc-room')?.state === expected,
    state,
    what,
  );

/**
 * The rtc-error codes a page saw.
 * @param {Page} page
 */
async function errorCodes(page) {
  return (await readEvents(page))
    .filter((event) => event.type === 'rtc-error')
    .map((event) => event.detail.code);
}

describe('who gets in, and who sits in the middle', () => {
  const suite = useHostAndChromium();

  it('lets in visitors with a token for the room, and both read the same safety code', async () => {
    const server = await startRoomServer(['--join-secret', JOIN_SECRET]);
    const roomId = crypto.randomUUID();
    const pages = [];
    try {
      for (const name of ['Ada', 'Grace']) {
        const token = await signJoinToken(roomId, name);
        pages.push(await visitRoom(suite.browser, suite.host, server, roomId, '', { token }));
      }
      await waitForRemoteVideo(pages[0], 1);
      const codes = [];
      for (const page of pages) {
        const handle = await waitInPage(
          page,
          () => document.querySelector('rtc-room').participants.find((p) => !p.isLocal)?.safetyCode,
          undefined,
          'a safety code',
        );
        codes.push(await handle.jsonValue());
      }
      assert.match(codes[0], /^\d{3} \d{3}$/);
      assert.equal(codes[0], codes[1], 'both sides compute the same code');
      // The name vouched for in the token is the one the others see.
      const names = await pages[1].evaluate(() =>
        document.querySelector('rtc-room').participants.map((p) => p.name),
      );
      assert.deepEqual(names, ['Grace', 'Ada']);
      const shown = await pages[0].evaluate(
        () =>
          document.querySelector('rtc-room').shadowRoot.querySelector('[part="safety-code"]')
            ?.textContent,
      );
      assert.match(shown ?? '', new RegExp(codes[0]));
    } finally {
      await Promise.all(pages.map((page) => page.close()));
      await server.close();
    }
  });

  it('refuses a visitor without a token, or with a forged one, as unauthorized', async () => {
    const server = await startRoomServer(['--join-secret', JOIN_SECRET]);
    const roomId = crypto.randomUUID();
    const forged = await signJoinToken(roomId, 'Mallory', '5m', 'not-the-secret-but-long-enough!!');
    const pages = [
      await visitRoom(suite.browser, suite.host, server, roomId, 'Nobody'),
      await visitRoom(suite.browser, suite.host, server, roomId, 'Mallory', { token: forged }),
    ];
    try {
      for (const page of pages) {
        await waitForState(page, 'error', 'the error state');
        assert.deepEqual(await errorCodes(page), ['unauthorized']);
      }
      assert.equal(server.room.rooms.peerCount, 0);
    } finally {
      await Promise.all(pages.map((page) => page.close()));
      await server.close();
    }
  });

  it('asks the page for a fresh token when it expired, and joins with it without a reload', async () => {
    const server = await startRoomServer(['--join-secret', JOIN_SECRET]);
    const roomId = crypto.randomUUID();
    const expired = await signJoinToken(roomId, 'Ada', -30);
    const page = await suite.browser.newPage();
    try {
      // The host page's handler: note the request; the test plays the backend that answers it.
      await page.evaluateOnNewDocument(() => {
        window.tokenRequests = [];
        window.addEventListener('rtc-token-expired', (event) =>
          window.tokenRequests.push(event.detail),
        );
        window.addEventListener('load', () => (window.loads = (window.loads ?? 0) + 1));
      });
      const query = new URLSearchParams({
        server: server.url,
        'room-id': roomId,
        'no-prejoin': '',
        token: expired,
      });
      await page.goto(`${suite.host.url}/room.html?${query}`);
      await waitInPage(page, () => window.tokenRequests.length > 0, undefined, 'a token request');
      assert.deepEqual(await page.evaluate(() => window.tokenRequests), [{ roomId }]);
      const fresh = await signJoinToken(roomId, 'Ada');
      await page.evaluate((token) => (document.querySelector('rtc-room').token = token), fresh);
      await waitForState(page, 'joined', 'joined with the fresh token');
      assert.equal(await page.evaluate(() => window.loads), 1, 'no reload');
      assert.equal(server.room.rooms.peerCount, 1);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('tells a page on an origin that is not allowed unauthorized, not unreachable', async () => {
    const server = await startRoomServer(['--allowed-origins', 'https://app.example']);
    const page = await visitRoom(
      suite.browser,
      suite.host,
      server,
      crypto.randomUUID(),
      'Elsewhere',
    );
    try {
      await waitForState(page, 'error', 'the error state');
      assert.deepEqual(await errorCodes(page), ['unauthorized']);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('refuses every PeerJS data connection, and any call that is not a link of ours', async () => {
    const server = await startRoomServer();
    const roomId = crypto.randomUUID();
    const visitor = await visitRoom(suite.browser, suite.host, server, roomId, 'Ada');
    const hostile = await suite.browser.newPage();
    try {
      await waitForState(visitor, 'joined', 'joined');
      const targetId = await visitor.evaluate(
        () => document.querySelector('rtc-room').participants[0].id,
      );
      await hostile.goto(`${suite.host.url}/stranger-probe.html?server=${server.url}`);
      const connect = (/** @type {string} */ serialization) =>
        hostile.evaluate((...args) => window.connect(...args), roomId, targetId, serialization);
      const call = (/** @type {unknown} */ metadata) =>
        hostile.evaluate((...args) => window.call(...args), roomId, targetId, metadata);
      // Our links are calls with our data channel on them: no serialization is spoken. Each
      // attempt waits 5 s for the visitor to let it through, so they go at once.
      const outcomes = await Promise.all([
        connect('raw'),
        connect('binary'),
        connect('json'),
        call(undefined),
        call({ rtcRoomLink: 'x'.repeat(65) }),
        call({ rtcRoomLink: crypto.randomUUID(), screen: true }),
        call({ rtcRoomLink: crypto.randomUUID() }),
      ]);
      assert.deepEqual(outcomes, [
        'no-open',
        'no-open',
        'no-open',
        'no-answer', // a plain PeerJS call
        'no-answer', // an oversized link ID
        'no-answer', // a screen call for no link
        'answered', // one shaped like a visitor's link: the probe can get through
      ]);
      assert.equal(
        await visitor.evaluate(() => document.querySelector('rtc-room').state),
        'joined',
      );
    } finally {
      await hostile.close();
      await visitor.close();
      await server.close();
    }
  });
});
