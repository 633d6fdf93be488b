// Chat between real visitors: text, a picture, history for a late joiner, and a hostile peer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  readChatLines,
  readFirstPicture,
  sendTwoColourPicture,
  TWO_COLOUR_PICTURE,
  startStack,
  visitRoom,
  waitForRemoteVideo,
  waitInPage,
} from './harness.js';

/** @typedef {import('./harness.js').Page} Page */
/** @typedef {import('./harness.js').Stack<true>} Stack */

/**
 * The chat as the page's element holds it.
 * @param {Page} page
 */
function readMessages(page) {
  return page.evaluate(() =>
    document.querySelector('rtc-room').messages.map((message) => ({
      id: message.id,
      kind: message.kind,
      text: message.text,
      senderName: message.senderName,
      isOwn: message.isOwn,
      isHistory: message.isHistory,
      hasPicture: Boolean(message.picture?.url),
    })),
  );
}

/**
 * Types into the chat box and presses Enter, as a person would.
 * @param {Page} page
 * @param {string} text
 */
async function typeAndSend(page, text) {
  await readChatLines(page);
  const box = await page.evaluateHandle(() => {
    const textarea = document
      .querySelector('rtc-room')
      .shadowRoot.querySelector('rtc-chat-panel')
      ?.shadowRoot?.querySelector('textarea');
    if (!textarea) throw new Error('the chat panel shows no text box');
    return textarea;
  });
  await box.focus();
  await page.keyboard.sendCharacter(text);
  await page.keyboard.press('Enter');
}

/**
 * @param {Page} page
 * @param {string} text
 * @param {string} [what]
 */
const waitForMessage = (page, text, what) =>
  waitInPage(
    page,
    (expected) => document.querySelector('rtc-room').messages.some((m) => m.text === expected),
    text,
    what ?? `the message "${text}"`,
  );

describe('chat in a room', () => {
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

  it('shows a message with CJK and emoji to everyone, in Chromium and Firefox', async () => {
    const roomId = crypto.randomUUID();
    const writer = await visitRoom(chromium, host, server, roomId, '李雷');
    const readers = [
      await visitRoom(chromium, host, server, roomId, 'Chromium reader'),
      await visitRoom(firefox, host, server, roomId, 'Firefox reader'),
    ];
    const pages = [writer, ...readers];
    try {
      for (const page of pages) await waitForRemoteVideo(page, 2);
      const text = '你好，世界 👋🏽 see https://example.com';
      await typeAndSend(writer, text);
      for (const page of readers) {
        await waitForMessage(page, text);
        const lines = await readChatLines(page);
        assert.equal(lines.length, 1);
        assert.match(lines[0], /李雷/);
        assert.ok(lines[0].includes('你好，世界 👋🏽'), `the line shows the text: ${lines[0]}`);
        const link = await page.evaluate(() => {
          /** @type {HTMLAnchorElement | null | undefined} */
          const a = document
            .querySelector('rtc-room')
            .shadowRoot.querySelector('rtc-chat-panel')
            ?.shadowRoot?.querySelector('[part~="message"] a');
          return { href: a?.href, rel: a?.rel, target: a?.target };
        });
        assert.deepEqual(link, {
          href: 'https://example.com/',
          rel: 'noopener noreferrer',
          target: '_blank',
        });
      }
      const own = await readMessages(writer);
      assert.equal(own.length, 1);
      assert.equal(own[0].isOwn, true);
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('delivers a picture drawn on a canvas that every receiver decodes', async () => {
    const roomId = crypto.randomUUID();
    const sender = await visitRoom(chromium, host, server, roomId, 'Painter');
    const receivers = [
      await visitRoom(chromium, host, server, roomId, 'Viewer 1'),
      await visitRoom(firefox, host, server, roomId, 'Viewer 2'),
    ];
    const pages = [sender, ...receivers];
    try {
      for (const page of pages) await waitForRemoteVideo(page, 2);
      await sendTwoColourPicture(sender);
      for (const page of receivers) {
        const decoded = await readFirstPicture(page);
        assert.deepEqual(decoded, { ...TWO_COLOUR_PICTURE, from: 'Painter' });
        const thumbnails = await page.evaluate(async () => {
          const room = document.querySelector('rtc-room');
          const toggle = room.shadowRoot.querySelector('[data-action="chat"]');
          if (!(toggle instanceof HTMLElement)) throw new Error('the room shows no chat button');
          toggle.click();
          // The panel's chunk loads the first time the chat opens.
          await customElements.whenDefined('rtc-chat-panel');
          await room.updateComplete;
          const panel = room.shadowRoot.querySelector('rtc-chat-panel');
          if (!panel?.shadowRoot) throw new Error('the chat panel did not open');
          await panel.updateComplete;
          /** @type {HTMLImageElement | null} */
          const image = panel.shadowRoot.querySelector(
            '[part~="picture"] img, img[part~="picture"]',
          );
          await image?.decode();
          return image?.naturalWidth ?? 0;
        });
        assert.equal(thumbnails, 300, 'the thumbnail in the chat shows the picture');
      }
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('gives a late joiner the history exactly once, in order, though two peers could give it', async () => {
    const roomId = crypto.randomUUID();
    const first = await visitRoom(chromium, host, server, roomId, 'First');
    const second = await visitRoom(chromium, host, server, roomId, 'Second');
    const pages = [first, second];
    try {
      await waitForRemoteVideo(first, 1);
      await waitForRemoteVideo(second, 1);
      for (let i = 1; i <= 6; i++) {
        const author = i % 2 ? first : second;
        await author.evaluate(
          (text) => document.querySelector('rtc-room').sendMessage(text),
          `message ${i}`,
        );
        await waitForMessage(i % 2 ? second : first, `message ${i}`);
      }
      const expected = (await readMessages(first)).map((m) => m.id);
      const late = await visitRoom(firefox, host, server, roomId, 'Late');
      pages.push(late);
      await waitForRemoteVideo(late, 2);
      await waitInPage(
        late,
        (count) => document.querySelector('rtc-room').messages.length >= count,
        expected.length,
        'the history',
      );
      // Long enough for a second copy from the other peer to have arrived, had it been sent.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const history = await readMessages(late);
      assert.deepEqual(
        history.map((m) => m.id),
        expected,
        'every message once, in the order the others have',
      );
      assert.ok(history.every((m) => m.isHistory && !m.isOwn));
      assert.deepEqual(
        history.map((m) => m.text),
        ['message 1', 'message 2', 'message 3', 'message 4', 'message 5', 'message 6'],
      );
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('lets nothing a hostile peer sends change the room for the others', async () => {
    const roomId = crypto.randomUUID();
    const target = await visitRoom(chromium, host, server, roomId, 'Target');
    const other = await visitRoom(firefox, host, server, roomId, 'Other');
    const hostile = await chromium.newPage();
    try {
      await waitForRemoteVideo(target, 1);
      await hostile.goto(`${host.url}/hostile.html?${new URLSearchParams({ server: server.url })}`);
      const targetId = await target.evaluate(
        () => document.querySelector('rtc-room').participants[0].id,
      );
      const sent = await hostile.evaluate((room, id) => window.attack(room, id), roomId, targetId);
      assert.ok(sent > 500);
      // The room goes on: a message between the two real visitors gets through both ways.
      await target.evaluate(() => document.querySelector('rtc-room').sendMessage('still here'));
      await waitForMessage(other, 'still here');
      await other.evaluate(() => document.querySelector('rtc-room').sendMessage('me too'));
      await waitForMessage(target, 'me too');
      const seen = await readMessages(target);
      const fromHostile = seen.filter((m) => !m.isOwn && m.text !== 'me too');
      assert.ok(
        fromHostile.length <= 25,
        `the flood was cut to its rate limit: ${fromHostile.length}`,
      );
      assert.ok(
        fromHostile.every((m) => m.senderName !== 'Not Mallory' && m.senderName !== 'Other'),
      );
      assert.ok(fromHostile.every((m) => (m.text ?? '').length <= 4000));
      assert.equal(await target.evaluate(() => window.pwned), undefined, 'no script ran');
      const lines = await readChatLines(target);
      const html = lines.find((line) => line.includes('<script>'));
      assert.ok(html, 'the HTML shows as text');
      const names = await target.evaluate(() =>
        document.querySelector('rtc-room').participants.map((p) => p.name),
      );
      for (const name of names) {
        assert.ok(name.length <= 64, 'names are capped');
        assert.ok(!/[\n\u202e]/.test(name), 'names carry no control characters');
      }
      // The real visitors still see each other's video.
      const remote = await waitForRemoteVideo(other, 1);
      assert.ok(remote.every((tile) => tile.advanced));
    } finally {
      await Promise.all([target, other, hostile].map((page) => page.close()));
    }
  });

  it('hides the chat with no-chat while the call goes on', async () => {
    const roomId = crypto.randomUUID();
    const quiet = await visitRoom(chromium, host, server, roomId, 'Quiet', { 'no-chat': '' });
    const talker = await visitRoom(chromium, host, server, roomId, 'Talker');
    try {
      await waitForRemoteVideo(quiet, 1);
      await talker.evaluate(() => document.querySelector('rtc-room').sendMessage('anyone?'));
      const remote = await waitForRemoteVideo(quiet, 1);
      assert.ok(remote[0].advanced);
      const shown = await quiet.evaluate(() => {
        const root = document.querySelector('rtc-room').shadowRoot;
        return {
          toggle: Boolean(root.querySelector('[data-action="chat"]')),
          panel: Boolean(root.querySelector('rtc-chat-panel')),
        };
      });
      assert.deepEqual(shown, { toggle: false, panel: false });
    } finally {
      await quiet.close();
      await talker.close();
    }
  });
});
