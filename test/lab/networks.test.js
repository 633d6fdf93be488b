// Two visitors on real networks: each behind its own home router (NAT), some behind firewalls,
// the server and coturn on the internet segment. What a person sees: each other's video, steady,
// the chat both ways, over the path that network allows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  readChatLines,
  readSelectedPaths,
  visitRoom,
  waitForRemoteVideo,
  waitInPage,
} from '../e2e/harness.js';
import { startLabStack } from './stack.js';
import { markTiles, readMarkedFrames } from './tiles.js';

/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {Awaited<ReturnType<typeof startLabStack>>} LabStack */
/** @typedef {import('./network.js').VisitorNetwork & { browser?: 'firefox' }} LabVisitor */
/** @typedef {ReturnType<typeof useLabRoom>} LabSuite */

/**
 * A suite's lab: `visitors` (network descriptions named `a` and `b`, in Chromium unless `browser`
 * says `firefox`) join one room once the lab is up; the suite reads `pages`.
 * @param {LabVisitor[]} visitors
 * @param {{ turn?: boolean }} [options]
 */
function useLabRoom(visitors, { turn = true } = {}) {
  const suite = {
    // Set by before(), which runs before any test reads it.
    stack: /** @type {LabStack} */ (/** @type {unknown} */ (null)),
    /** @type {import('puppeteer-core').Page[]} */
    pages: [],
    /** When both visitors had joined (signalling open, calls out), in ms since the epoch. */
    joinedAt: 0,
  };
  before(async () => {
    suite.stack = await startLabStack({ visitors, turn });
    const roomId = crypto.randomUUID();
    const { host, server } = suite.stack.urls;
    const browsers = await Promise.all(
      visitors.map(({ name, browser }) =>
        browser === 'firefox' ? suite.stack.firefoxOf(name) : suite.stack.browserOf(name),
      ),
    );
    suite.pages = await Promise.all(
      browsers.map((browser, index) =>
        visitRoom(browser, { url: host }, { url: server }, roomId, visitors[index].name),
      ),
    );
    await Promise.all(
      suite.pages.map((page) =>
        waitInPage(
          page,
          () => document.querySelector('rtc-room').state === 'joined',
          undefined,
          'the join',
        ),
      ),
    );
    suite.joinedAt = Date.now();
  });
  after(() => suite.stack?.close());
  return suite;
}

/**
 * Each page sees the other's video, its frames advancing, within `seconds` of the join.
 * @param {LabSuite} suite
 * @param {number} seconds
 */
async function assertVideoWithin(suite, seconds) {
  const deadline = suite.joinedAt + seconds * 1000;
  for (const page of suite.pages) {
    const remote = await waitForRemoteVideo(page, 1, Math.max(1, deadline - Date.now()));
    assert.equal(remote.length, 1);
    assert.ok(remote[0].advanced, `${remote[0].name}'s video advances`);
  }
}

/**
 * Over `seconds`, every remote video on every page keeps showing new frames, on the same tile.
 * @param {LabSuite} suite
 * @param {number} seconds
 */
async function assertSteadyVideo(suite, seconds) {
  /** @type {(number | null)[][]} */
  let frames = await markTiles(suite.pages);
  for (let second = 2; second <= seconds; second += 2) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const now = await readMarkedFrames(suite.pages);
    now.forEach((pageFrames, page) =>
      pageFrames.forEach((count, tile) => {
        assert.notEqual(count, null, `page ${page}: the remote tile and its video stay`);
        assert.ok(
          /** @type {number} */ (count) > /** @type {number} */ (frames[page][tile]),
          `page ${page}: new frames by second ${second}`,
        );
      }),
    );
    frames = now;
  }
}

/**
 * A line sent by each visitor is shown in the other's chat.
 * @param {LabSuite} suite
 */
async function assertChatBothWays(suite) {
  const [a, b] = suite.pages;
  for (const [from, to, text] of /** @type {[Page, Page, string][]} */ ([
    [a, b, `from a ${crypto.randomUUID().slice(0, 8)}`],
    [b, a, `from b ${crypto.randomUUID().slice(0, 8)}`],
  ])) {
    await from.evaluate((line) => document.querySelector('rtc-room').sendMessage(line), text);
    await waitInPage(
      to,
      (line) => document.querySelector('rtc-room').messages.some((m) => m.text === line),
      text,
      `the message "${text}"`,
    );
    const lines = await readChatLines(to);
    assert.equal(lines.filter((line) => line.includes(text)).length, 1, `"${text}" shown once`);
  }
}

describe('visitors behind port-preserving NATs, with STUN only', () => {
  const suite = useLabRoom(
    [
      { name: 'a', nat: 'port-preserving' },
      { name: 'b', nat: 'port-preserving' },
    ],
    { turn: false },
  );

  it('connect directly through the NATs, never through a relay', async () => {
    await assertVideoWithin(suite, 20);
    for (const page of suite.pages) {
      const [path] = await readSelectedPaths(page);
      assert.ok(['srflx', 'prflx'].includes(path.remote), `direct to the other: ${path.remote}`);
      assert.notEqual(path.local, 'relay');
    }
  });

  it('keep each other’s video steady for 10 s and chat both ways', async () => {
    await assertSteadyVideo(suite, 10);
    await assertChatBothWays(suite);
  });
});

/**
 * Two visitors behind symmetric NATs, which only a relay connects: `checked` names the pages
 * whose selected path is read (Firefox's stats are read by the Chromium side).
 * @param {string} title
 * @param {LabVisitor[]} visitors
 * @param {number[]} checked
 */
function describeRelayedPair(title, visitors, checked) {
  describe(title, () => {
    const suite = useLabRoom(visitors);

    it('connect through the relay', async () => {
      await assertVideoWithin(suite, 20);
      for (const index of checked) {
        const [path] = await readSelectedPaths(suite.pages[index]);
        assert.ok(path.local === 'relay' || path.remote === 'relay', JSON.stringify(path));
      }
    });

    it('keep each other’s video steady for 10 s and chat both ways', async () => {
      await assertSteadyVideo(suite, 10);
      await assertChatBothWays(suite);
    });
  });
}

describeRelayedPair(
  'visitors behind symmetric NATs, with STUN and TURN',
  [
    { name: 'a', nat: 'symmetric' },
    { name: 'b', nat: 'symmetric' },
  ],
  [0, 1],
);

describeRelayedPair(
  'a Firefox visitor and a Chromium visitor behind symmetric NATs, with TURN',
  [
    { name: 'a', nat: 'symmetric', browser: 'firefox' },
    { name: 'b', nat: 'symmetric' },
  ],
  [1],
);

describe('visitors behind symmetric NATs, with STUN only', () => {
  const suite = useLabRoom(
    [
      { name: 'a', nat: 'symmetric' },
      { name: 'b', nat: 'symmetric' },
    ],
    { turn: false },
  );

  it('are each told ice-failed and shown "Cannot connect" within 20 s of the join', async () => {
    const deadline = suite.joinedAt + 20_000;
    for (const page of suite.pages) {
      await waitInPage(
        page,
        () => {
          const room = document.querySelector('rtc-room');
          const label = room.shadowRoot.querySelector('.unreachable-label');
          return (
            window.rtcEvents.some(
              (e) => e.type === 'rtc-error' && e.detail.code === 'ice-failed',
            ) && label?.textContent.trim() === 'Cannot connect'
          );
        },
        undefined,
        'ice-failed and "Cannot connect"',
        Math.max(1, deadline - Date.now()),
      );
    }
  });
});

describe('a visitor whose network drops all UDP, with TURN over TCP and TLS', () => {
  const suite = useLabRoom([
    { name: 'a', nat: 'port-preserving' },
    { name: 'b', nat: 'port-preserving', firewall: 'no-udp' },
  ]);

  it('sees the other within 5 s of the join, relayed over TCP', async () => {
    await assertVideoWithin(suite, 5);
    const [path] = await readSelectedPaths(suite.pages[1]);
    assert.equal(path.local, 'relay');
    assert.ok(['tcp', 'tls'].includes(path.relayProtocol), `relayed over ${path.relayProtocol}`);
  });

  it('chats both ways', () => assertChatBothWays(suite));
});

describe('a corporate network that lets out only TCP to port 443', () => {
  const suite = useLabRoom([
    { name: 'a', nat: 'port-preserving', firewall: 'tcp-443' },
    { name: 'b', nat: 'port-preserving' },
  ]);

  it('sees the other within 5 s of the join, through turns: on 443', async () => {
    await assertVideoWithin(suite, 5);
    const [path] = await readSelectedPaths(suite.pages[0]);
    assert.equal(path.local, 'relay');
    assert.equal(path.relayProtocol, 'tls');
    assert.match(path.turnUrl ?? '', /^turns:.*:443\b/);
  });

  it('chats both ways', () => assertChatBothWays(suite));
});

describe('a visitor on a bad uplink (1 Mbit/s, a 400 ms queue, 3 % loss)', () => {
  const suite = useLabRoom([
    { name: 'a', nat: 'port-preserving', uplink: { rateKbit: 1000, queueMs: 400, lossPercent: 3 } },
    { name: 'b', nat: 'port-preserving' },
  ]);

  it('keeps sending video the other sees advance, below the link’s rate', async () => {
    await assertVideoWithin(suite, 20);
    const sentBefore = await outboundVideoBytes(suite.pages[0]);
    const startedAt = Date.now();
    await assertSteadyVideo(suite, 10);
    const kbits = (((await outboundVideoBytes(suite.pages[0])) - sentBefore) * 8) / 1000;
    const kbitPerSecond = kbits / ((Date.now() - startedAt) / 1000);
    assert.ok(kbitPerSecond < 1000, `sends ${kbitPerSecond.toFixed(0)} kbit/s`);
  });

  it('shows the link as fair or poor to the other', () =>
    waitInPage(
      suite.pages[1],
      () => {
        const room = document.querySelector('rtc-room');
        const id = room.participants.find((p) => !p.isLocal)?.id;
        const tile = room.shadowRoot.querySelector(`[data-peer-id="${id}"]`);
        /** @type {HTMLElement | null | undefined} */
        const quality = tile?.querySelector('[part~="quality"]');
        return /** @type {(string | undefined)[]} */ (['fair', 'poor']).includes(
          quality?.dataset.quality,
        );
      },
      undefined,
      'fair or poor quality on the tile',
    ).then(() => undefined));

  it('chats both ways', () => assertChatBothWays(suite));
});

describe('a visitor whose network goes away for 8 s', () => {
  const suite = useLabRoom([
    { name: 'a', nat: 'port-preserving' },
    { name: 'b', nat: 'port-preserving' },
  ]);

  it('comes back on the same tile by itself, and what was said meanwhile arrives once', async () => {
    await assertVideoWithin(suite, 20);
    const [a, b] = suite.pages;
    await markTiles([b]);
    suite.stack.lab.setOffline('a', true);
    const wentAwayAt = Date.now();
    await waitInPage(
      b,
      () =>
        document.querySelector('rtc-room').participants[1]?.connection?.state === 'reconnecting',
      undefined,
      'a shown reconnecting',
    );
    const text = `while away ${crypto.randomUUID().slice(0, 8)}`;
    await b.evaluate((line) => document.querySelector('rtc-room').sendMessage(line), text);
    // The outage itself lasts 8 s, whatever the room does meanwhile.
    await new Promise((resolve) => setTimeout(resolve, wentAwayAt + 8000 - Date.now()));
    suite.stack.lab.setOffline('a', false);
    await waitInPage(
      b,
      () => document.querySelector('rtc-room').participants[1]?.connection?.state === 'connected',
      undefined,
      'a connected again',
      30_000,
    );
    await waitInPage(
      a,
      (line) => document.querySelector('rtc-room').messages.some((m) => m.text === line),
      text,
      'the message sent meanwhile',
    );
    // The fresh call's stream plays in the same element, whose frame count starts again.
    const [[after]] = await readMarkedFrames([b]);
    assert.notEqual(after, null, 'the same tile, with the same video element');
    await assertSteadyVideo(suite, 4);
    const lines = await readChatLines(a);
    assert.equal(lines.filter((line) => line.includes(text)).length, 1, 'shown once');
  });
});

describe('a visitor who moves to another network mid-call', () => {
  const suite = useLabRoom([
    { name: 'a', nat: 'port-preserving', canMove: true },
    { name: 'b', nat: 'port-preserving' },
  ]);

  it('is back in the call within 5 s of the move, on the same tile, from its new address', async () => {
    await assertVideoWithin(suite, 20);
    const [a, b] = suite.pages;
    await markTiles(suite.pages);
    const newAddress = suite.stack.lab.visitors.get('a')?.routers[1].wanAddress;
    suite.stack.lab.moveVisitor('a');
    const deadline = Date.now() + 5000;
    const isBack = async () => {
      const [path] = await readSelectedPaths(b);
      const states = await Promise.all(
        [a, b].map((page) =>
          page.evaluate(
            () => document.querySelector('rtc-room').participants[1]?.connection?.state,
          ),
        ),
      );
      return path?.remoteAddress === newAddress && states.every((state) => state === 'connected');
    };
    while (!(await isBack())) {
      assert.ok(Date.now() < deadline, "both connected again, over a's new address, within 5 s");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const frames = await readMarkedFrames(suite.pages);
    assert.ok(
      frames.flat().every((count) => count !== null),
      'the same tiles, with the same video elements',
    );
    await assertSteadyVideo(suite, 4);
    await assertChatBothWays(suite);
  });
});

/**
 * Video bytes the page has sent to its one remote participant.
 * @param {Page} page
 */
function outboundVideoBytes(page) {
  return page.evaluate(async () => {
    const room = document.querySelector('rtc-room');
    const report = await room.getStats(room.participants[1].id);
    let bytes = 0;
    report?.forEach((stat) => {
      if (stat.type === 'outbound-rtp' && stat.kind === 'video') bytes += stat.bytesSent;
    });
    return bytes;
  });
}
