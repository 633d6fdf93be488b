// Files between real visitors: offered, downloaded by Chromium and Firefox with progress, checked
// by SHA-256, cancelled, downloaded by a late joiner from the history, refused from a liar; the
// call's video goes on during a large transfer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, visitRoom, waitForRemoteVideo, waitInPage } from './harness.js';

/** @typedef {import('./harness.js').Page} Page */
/** @typedef {import('./harness.js').Stack<true>} Stack */

const MiB = 1024 * 1024;

/**
 * Offers `size` random bytes as a file from `page`; resolves with its message ID and the SHA-256
 * the page's own SubtleCrypto gives of the bytes.
 * @param {Page} page
 * @param {number} size
 * @param {string} name
 */
function offerRandomFile(page, size, name) {
  return page.evaluate(
    async (size, name) => {
      const bytes = new Uint8Array(size);
      for (let offset = 0; offset < size; offset += 65536) {
        crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
      }
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const sha256 = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
      const file = new File([bytes], name, { type: 'application/x-test' });
      const message = await document.querySelector('rtc-room').sendFile(file);
      return { id: message.id, offered: message.file?.sha256, sha256 };
    },
    size,
    name,
  );
}

/**
 * Waits until `page` sees the offer of message `id`.
 * @param {Page} page
 * @param {string} id
 */
const waitForOffer = (page, id) =>
  waitInPage(
    page,
    (id) => document.querySelector('rtc-room').messages.find((m) => m.id === id)?.file?.state,
    id,
    'the file offer',
  );

/**
 * Starts watching a file's progress in the page (every value it takes), and its download.
 * @param {Page} page
 * @param {string} id
 */
function startDownload(page, id) {
  return page.evaluate((id) => {
    const room = document.querySelector('rtc-room');
    window.fileProgress = [];
    window.fileWatch = setInterval(() => {
      const file = room.messages.find((m) => m.id === id)?.file;
      if (file && window.fileProgress.at(-1) !== file.progress) {
        window.fileProgress.push(file.progress);
      }
    }, 20);
    window.fileDownload = room.downloadFile(id).then((m) => m.file?.state);
  }, id);
}

/**
 * Waits for the download to end; resolves with its state, what progress showed, and the SHA-256
 * and size of the Blob the page can save, read back in the page.
 * @param {Page} page
 * @param {string} id
 */
async function finishDownload(page, id) {
  return page.evaluate(async (id) => {
    const state = await window.fileDownload;
    clearInterval(window.fileWatch);
    const file = document.querySelector('rtc-room').messages.find((m) => m.id === id)?.file;
    if (!file?.url) return { state, progress: window.fileProgress };
    const blob = await (await fetch(file.url)).blob();
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
    const sha256 = [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
    return { state, progress: window.fileProgress, size: blob.size, sha256, name: file.name };
  }, id);
}

describe('files in a room', () => {
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

  it('sends a file from Chromium that Firefox and Chromium download whole, video going on', async () => {
    const roomId = crypto.randomUUID();
    const sender = await visitRoom(chromium, host, server, roomId, 'Sender');
    const receivers = [
      await visitRoom(chromium, host, server, roomId, 'Chromium receiver'),
      await visitRoom(firefox, host, server, roomId, 'Firefox receiver'),
    ];
    const pages = [sender, ...receivers];
    try {
      for (const page of pages) await waitForRemoteVideo(page, 2);
      const size = 48 * MiB + 12345;
      const offer = await offerRandomFile(sender, size, '报告 final.bin');
      assert.equal(offer.offered, offer.sha256, 'the offer carries the SHA-256 of the bytes');
      for (const page of receivers) {
        assert.equal(await (await waitForOffer(page, offer.id)).jsonValue(), 'offered');
      }
      for (const page of receivers) await startDownload(page, offer.id);
      // While the file crosses, every visitor's remote videos keep advancing.
      for (const page of pages) {
        const tiles = await waitForRemoteVideo(page, 2);
        assert.ok(
          tiles.every((tile) => tile.advanced),
          'video advances during the transfer',
        );
      }
      for (const page of receivers) {
        const result = await finishDownload(page, offer.id);
        assert.equal(result.state, 'done');
        assert.equal(result.size, size);
        assert.equal(result.sha256, offer.sha256);
        assert.equal(result.name, '报告 final.bin');
        assert.ok(
          result.progress.some((p) => p > 0 && p < 1),
          `progress was seen: ${result.progress.slice(0, 5)}`,
        );
      }

      // A late joiner sees the offer in the history and downloads it from the sender.
      const late = await visitRoom(firefox, host, server, roomId, 'Late');
      pages.push(late);
      await waitForRemoteVideo(late, 3);
      await waitForOffer(late, offer.id);
      const seen = await late.evaluate(
        (id) => document.querySelector('rtc-room').messages.find((m) => m.id === id)?.isHistory,
        offer.id,
      );
      assert.equal(seen, true, 'the offer came with the history');
      await startDownload(late, offer.id);
      const result = await finishDownload(late, offer.id);
      assert.equal(result.state, 'done');
      assert.equal(result.sha256, offer.sha256);
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('sends a file from Firefox that Chromium downloads whole', async () => {
    const roomId = crypto.randomUUID();
    const sender = await visitRoom(firefox, host, server, roomId, 'Firefox sender');
    const receiver = await visitRoom(chromium, host, server, roomId, 'Chromium receiver');
    const pages = [sender, receiver];
    try {
      for (const page of pages) await waitForRemoteVideo(page, 1);
      const offer = await offerRandomFile(sender, 6 * MiB + 1, 'from-firefox.bin');
      assert.equal(offer.offered, offer.sha256);
      await waitForOffer(receiver, offer.id);
      await startDownload(receiver, offer.id);
      const result = await finishDownload(receiver, offer.id);
      assert.deepEqual(
        [result.state, result.size, result.sha256],
        ['done', 6 * MiB + 1, offer.sha256],
      );
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('stops a download on Stop, from the panel, and downloads it again with one click', async () => {
    const roomId = crypto.randomUUID();
    const sender = await visitRoom(chromium, host, server, roomId, 'Sender');
    const receiver = await visitRoom(chromium, host, server, roomId, 'Receiver');
    const pages = [sender, receiver];
    try {
      for (const page of pages) await waitForRemoteVideo(page, 1);
      const offer = await offerRandomFile(sender, 64 * MiB, 'big.bin');
      await waitForOffer(receiver, offer.id);
      /** Clicks the button of the file's message whose label starts with `label`. */
      const click = (/** @type {string} */ label) =>
        receiver.evaluate(async (label) => {
          const room = document.querySelector('rtc-room');
          const toggle = room.shadowRoot.querySelector('[data-action="chat"]');
          const panel = () => room.shadowRoot.querySelector('rtc-chat-panel');
          if (!panel()?.shadowRoot && toggle instanceof HTMLElement) toggle.click();
          await customElements.whenDefined('rtc-chat-panel');
          await room.updateComplete;
          await panel()?.updateComplete;
          const buttons = [
            ...(panel()?.shadowRoot?.querySelectorAll('[part~="file"] button') ?? []),
          ];
          const button = buttons.find((b) => b.getAttribute('aria-label')?.startsWith(label));
          if (!(button instanceof HTMLElement)) throw new Error(`no ${label} button`);
          button.click();
        }, label);
      await click('Download');
      await waitInPage(
        receiver,
        (id) =>
          (document.querySelector('rtc-room').messages.find((m) => m.id === id)?.file?.progress ??
            0) > 0.05,
        offer.id,
        'some of the file',
      );
      await click('Stop');
      await waitInPage(
        receiver,
        (id) =>
          document.querySelector('rtc-room').messages.find((m) => m.id === id)?.file?.state ===
          'offered',
        offer.id,
        'the file offered again',
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const after = await receiver.evaluate(
        (id) => document.querySelector('rtc-room').messages.find((m) => m.id === id)?.file,
        offer.id,
      );
      assert.deepEqual([after?.state, after?.progress], ['offered', 0]);
      await click('Download');
      await waitInPage(
        receiver,
        (id) =>
          document.querySelector('rtc-room').messages.find((m) => m.id === id)?.file?.state ===
          'done',
        offer.id,
        'the file downloaded',
        60_000,
      );
    } finally {
      await Promise.all(pages.map((page) => page.close()));
    }
  });

  it('ends a hostile peer’s file whose bytes lie about it failed, and the room goes on', async () => {
    const roomId = crypto.randomUUID();
    const target = await visitRoom(firefox, host, server, roomId, 'Target');
    const other = await visitRoom(chromium, host, server, roomId, 'Other');
    const hostile = await chromium.newPage();
    try {
      await waitForRemoteVideo(target, 1);
      await hostile.goto(`${host.url}/hostile.html?${new URLSearchParams({ server: server.url })}`);
      const targetId = await target.evaluate(
        () => document.querySelector('rtc-room').participants[0].id,
      );
      const id = await hostile.evaluate(
        (room, peer) => window.offerLyingFile(room, peer),
        roomId,
        targetId,
      );
      await waitForOffer(target, id);
      const ended = await target.evaluate(async (id) => {
        const message = await document.querySelector('rtc-room').downloadFile(id);
        return {
          state: message.file?.state,
          failure: message.file?.failure,
          url: message.file?.url,
        };
      }, id);
      assert.deepEqual(ended, { state: 'failed', failure: 'corrupt', url: null });
      await other.evaluate(() => document.querySelector('rtc-room').sendMessage('still here'));
      await waitInPage(
        target,
        () => document.querySelector('rtc-room').messages.some((m) => m.text === 'still here'),
        undefined,
        'a message after the lie',
      );
      // The real visitor's video still advances (the liar's canvas sends no new frames).
      const remote = await waitForRemoteVideo(target, 1);
      assert.ok(remote.find((tile) => tile.name?.startsWith('Other'))?.advanced);
    } finally {
      await Promise.all([target, other, hostile].map((page) => page.close()));
    }
  });
});
