// Churn: six visitors in Chromium and Firefox join and leave at random (seeded) for 60 s while
// those present chat; at the end every present pair is connected exactly once and everyone
// holds the same chat. Prints the messages lost and duplicated (a line starting "measured:").
// A longer run: CHURN_SECONDS=600 node --test test/e2e/churn.test.js
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, visitRoom, waitInPage } from './harness.js';

const SECONDS = Number(process.env.CHURN_SECONDS ?? 60);
const SEED = Number(process.env.CHURN_SEED ?? 10);
/** @typedef {import('./harness.js').Page} Page */
/** @typedef {{ name: string, page: Page | null }} Slot a visitor, in the room while it has a page */

const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A small seeded generator (mulberry32): the same seed, the same run.
 * @param {number} seed
 */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('a room under churn', () => {
  /** @type {import('./harness.js').Stack<true>} */
  let stack;

  before(async () => {
    stack = await startStack({ firefox: true });
  });

  after(() => stack?.close());

  it(`ends in a clean mesh with one chat after ${SECONDS} s of visitors coming and going`, async () => {
    const { server, host, chromium, firefox } = stack;
    const roomId = crypto.randomUUID();
    const next = random(SEED);
    // Four Chromium and two Firefox visitors; chat only keeps six on two cores.
    const slots = ['c0', 'c1', 'c2', 'c3', 'f4', 'f5'].map(
      /** @returns {Slot} */ (name) => ({ name, page: null }),
    );
    /** @type {{ id: string, delivery: string, from: string }[]} */
    const sent = [];
    let counter = 0;

    /** @param {Slot} slot a visitor in the room */
    const pageOf = (slot) => {
      if (!slot.page) throw new Error(`${slot.name} is not in the room`);
      return slot.page;
    };
    const join = async (/** @type {Slot} */ slot) => {
      const browser = slot.name.startsWith('f') ? firefox : chromium;
      const page = await visitRoom(browser, host, server, roomId, slot.name, {
        muted: '',
        'video-off': '',
      });
      await waitInPage(
        page,
        () => document.querySelector('rtc-room')?.state === 'joined',
        undefined,
        'joined',
      );
      slot.page = page;
    };
    const leave = async (/** @type {Slot} */ slot) => {
      const page = pageOf(slot);
      slot.page = null;
      await page.close();
    };
    const chat = async (/** @type {Slot} */ slot) => {
      const text = `${slot.name} #${counter++}`;
      const message = await pageOf(slot).evaluate(async (value) => {
        const m = await document.querySelector('rtc-room').sendMessage(value);
        return { id: m.id, delivery: m.delivery };
      }, text);
      sent.push({ ...message, from: slot.name });
    };

    try {
      await join(slots[0]);
      await join(slots[4]);
      const endAt = Date.now() + SECONDS * 1000;
      while (Date.now() < endAt) {
        const slot = slots[Math.floor(next() * slots.length)];
        const present = slots.filter((s) => s.page);
        if (slot.page && present.length > 2 && next() < 0.5) await leave(slot);
        else if (!slot.page) await join(slot);
        for (const speaker of slots.filter((s) => s.page)) {
          if (next() < 0.4) await chat(speaker);
        }
        await sleep(500 + next() * 2000);
      }
      const present = slots.filter((s) => s.page);
      // Every present pair connected exactly once: each sees every other once, connected.
      for (const slot of present) {
        await waitInPage(
          pageOf(slot),
          (count) => {
            const room = document.querySelector('rtc-room');
            const remote = room.participants.filter((p) => !p.isLocal);
            const tiles = room.shadowRoot.querySelectorAll('[part~="tile"]');
            return (
              remote.length === count &&
              new Set(remote.map((p) => p.id)).size === count &&
              remote.every((p) => p.connection?.state === 'connected') &&
              tiles.length === count + 1
            );
          },
          present.length - 1,
          `${slot.name} connected once to each of ${present.length - 1} others`,
          60_000,
        );
      }
      // Then the chats agree (digests compare every 4 s).
      const read = (/** @type {Slot} */ slot) =>
        pageOf(slot).evaluate(() => document.querySelector('rtc-room').messages.map((m) => m.id));
      const deadline = Date.now() + 30_000;
      let histories = await Promise.all(present.map(read));
      while (
        Date.now() < deadline &&
        !histories.every((h) => JSON.stringify(h) === JSON.stringify(histories[0]))
      ) {
        await sleep(500);
        histories = await Promise.all(present.map(read));
      }
      const presentNames = new Set(present.map((s) => s.name));
      const union = new Set(histories.flat());
      // Lost: a message of someone still here, or one any present visitor holds, missing anywhere.
      const mustHave = new Set([
        ...sent.filter((m) => presentNames.has(m.from)).map((m) => m.id),
        ...union,
      ]);
      const lost = histories.reduce(
        (sum, history) => sum + [...mustHave].filter((id) => !history.includes(id)).length,
        0,
      );
      const duplicated = histories.reduce(
        (sum, history) => sum + history.length - new Set(history).size,
        0,
      );
      console.log(
        `measured: churn (seed ${SEED}, ${SECONDS} s): ${sent.length} messages sent, ` +
          `${present.length} visitors present at the end, ${lost} lost, ${duplicated} duplicated`,
      );
      assert.equal(lost, 0, 'no message lost');
      assert.equal(duplicated, 0, 'no message twice');
      for (const history of histories) assert.deepEqual(history, histories[0], 'one order');
    } finally {
      await Promise.all(slots.filter((s) => s.page).map((s) => pageOf(s).close()));
    }
  });
});
