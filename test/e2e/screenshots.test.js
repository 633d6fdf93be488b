// The room in every layout and both languages, filling a desktop and a phone viewport and in a
// fixed box on a host page: PNGs for people to look at, and layout facts asserted, not pixels.
// One of them, four visitors in grid in a wide box, is also the README's picture, docs/room.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStack, visitRoom, waitForRemoteVideo, waitInPage } from './harness.js';

const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const README_PICTURE = fileURLToPath(new URL('../../docs/room.png', import.meta.url));
const LAYOUTS = ['grid', 'speaker', 'sidebar'];
const LANGS = ['en', 'zh-CN'];
const NAMES = ['Ada Lovelace', '李娜', 'Grace 🎉', 'Linus'];
const DESKTOP = { width: 1280, height: 800, deviceScaleFactor: 1 };
const PHONE = { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
/** Smallest comfortable touch target (WCAG 2.5.5, Apple's and Google's guidelines). */
const TOUCH_TARGET = 44;

/** @typedef {import('./harness.js').Page} Page */
/** @typedef {{ layout: string, lang: string, theme?: string }} View */

/**
 * What a screenshot's layout must hold: the tiles shown, the room's size in a fixed box, a room
 * that fills the viewport without scrolling, the smallest button side, an open chat.
 * @typedef {{
 *   tiles: number,
 *   size?: { width: number, height: number },
 *   fillsViewport?: boolean,
 *   minButton?: number,
 *   chatOpen?: boolean,
 * }} LayoutFacts
 */

/**
 * Runs in the page: every layout fact that does not hold, in words (empty when all hold).
 * @param {LayoutFacts} facts
 */
function layoutViolations({ tiles: expectedTiles, size, fillsViewport, minButton, chatOpen }) {
  const room = document.querySelector('rtc-room');
  const root = room.shadowRoot;
  const box = room.getBoundingClientRect();
  const slack = 1; // subpixel rounding
  const show = (/** @type {DOMRect} */ rect) =>
    `(${Math.round(rect.left)}, ${Math.round(rect.top)}) ${Math.round(rect.width)}×${Math.round(rect.height)}`;
  const isInside = (
    /** @type {DOMRect} */ rect,
    /** @type {{ left: number, top: number, right: number, bottom: number }} */ outer,
  ) =>
    rect.left >= outer.left - slack &&
    rect.top >= outer.top - slack &&
    rect.right <= outer.right + slack &&
    rect.bottom <= outer.bottom + slack;
  const viewport = { left: 0, top: 0, right: innerWidth, bottom: innerHeight };
  /** @type {string[]} */
  const violations = [];
  const requireInside = (/** @type {string} */ what, /** @type {Element} */ node) => {
    const rect = node.getBoundingClientRect();
    if (!isInside(rect, box)) violations.push(`${what} ${show(rect)} leaves the room ${show(box)}`);
  };
  const nameOf = (/** @type {Element} */ tile) =>
    tile.querySelector('[part="name"]')?.textContent.trim() ?? '?';
  const labelOf = (/** @type {HTMLElement} */ button) =>
    button.dataset.action ?? button.getAttribute('aria-label') ?? button.textContent.trim();

  if (
    size &&
    (Math.abs(box.width - size.width) > slack || Math.abs(box.height - size.height) > slack)
  ) {
    violations.push(
      `the room is ${show(box)}, not the ${size.width}×${size.height} the page gave it`,
    );
  }
  if (fillsViewport) {
    // The root element, in the standards mode of every fixture.
    const { scrollWidth, scrollHeight } = document.scrollingElement ?? document.documentElement;
    if (scrollHeight > innerHeight || scrollWidth > innerWidth) {
      violations.push(
        `the page scrolls: ${scrollWidth}×${scrollHeight} in ${innerWidth}×${innerHeight}`,
      );
    }
  }

  const tiles = [...root.querySelectorAll('[part~="tile"]')];
  if (tiles.length !== expectedTiles)
    violations.push(`${tiles.length} tiles, not ${expectedTiles}`);
  for (const tile of tiles) requireInside(`tile of ${nameOf(tile)}`, tile);
  for (const [i, a] of tiles.entries()) {
    for (const b of tiles.slice(i + 1)) {
      const ra = a.getBoundingClientRect();
      const rb = b.getBoundingClientRect();
      const overlapX = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const overlapY = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (overlapX > slack && overlapY > slack) {
        violations.push(
          `tiles of ${nameOf(a)} ${show(ra)} and ${nameOf(b)} ${show(rb)} overlap by ${Math.round(overlapX)}×${Math.round(overlapY)}`,
        );
      }
    }
  }

  const layout = room.getAttribute('layout');
  if (layout === 'speaker' || layout === 'sidebar') {
    const featured = root.querySelectorAll('[part~="tile-featured"]');
    if (featured.length !== 1) {
      violations.push(`${featured.length} tiles with part tile-featured in ${layout}, not 1`);
    } else {
      const area = (/** @type {Element} */ tile) => {
        const rect = tile.getBoundingClientRect();
        return rect.width * rect.height;
      };
      const largest = area(featured[0]);
      for (const tile of tiles) {
        if (tile !== featured[0] && area(tile) >= largest) {
          violations.push(
            `tile of ${nameOf(tile)} is as large as the featured ${nameOf(featured[0])}`,
          );
        }
      }
    }
  }

  // On screen and not covered by anything: a click at its centre reaches it.
  const isClickable = (/** @type {Element} */ button) => {
    const rect = button.getBoundingClientRect();
    const hit = root.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
    return button.checkVisibility() && isInside(rect, viewport) && !!hit && button.contains(hit);
  };
  const controls = root.querySelector('[part~="controls"]');
  if (!controls) violations.push('no controls');
  else {
    requireInside('the controls', controls);
    for (const action of ['microphone', 'camera', 'chat', 'leave']) {
      const button = controls.querySelector(`button[data-action="${action}"]`);
      if (!button?.checkVisibility()) violations.push(`no ${action} button in the controls`);
    }
    // Buttons of a closed menu are not shown and need no room.
    for (const button of [...controls.querySelectorAll('button')].filter((b) =>
      b.checkVisibility(),
    )) {
      const label = `button ${labelOf(button)}`;
      requireInside(label, button);
      const rect = button.getBoundingClientRect();
      if (minButton && (rect.width < minButton - 0.5 || rect.height < minButton - 0.5)) {
        violations.push(`${label} is ${show(rect)}, smaller than ${minButton}×${minButton}`);
      }
      if (!isClickable(button))
        violations.push(`${label} ${show(rect)} cannot be seen and clicked`);
    }
  }

  const share = root.querySelector('[part~="share"]');
  if (share?.checkVisibility()) requireInside('the invite link', share);

  if (chatOpen) {
    const chat = root.querySelector('[part~="chat"]');
    if (!chat?.checkVisibility()) violations.push('no chat panel shown');
    else requireInside('the chat panel', chat);
    const toggle = root.querySelector('[data-action="chat"]');
    if (toggle?.getAttribute('aria-expanded') !== 'true') {
      violations.push('the chat button does not say the chat is open');
    }
    // Whatever closes the chat (its own close button or the chat button) is in reach.
    const closers = [...root.querySelectorAll('[data-action="close-chat"], [data-action="chat"]')];
    if (!closers.some(isClickable)) violations.push('nothing that closes the chat can be clicked');
  }
  return violations;
}

/**
 * Sets `layout`, `lang` and `theme` on a page's room and resolves once it has rendered them.
 * @param {Page} page
 * @param {View} view
 */
function setView(page, { layout, lang, theme = 'auto' }) {
  return page.evaluate(
    async (values) => {
      const room = document.querySelector('rtc-room');
      for (const [name, value] of Object.entries(values)) room.setAttribute(name, value);
      // No animation frame to wait for: background tabs get none; reading layout forces it.
      await room.updateComplete;
    },
    { layout, lang, theme },
  );
}

/**
 * Opens `count` visitors of one new room on `fixture`, each seeing everyone else's video; the
 * first in `firstBrowser` (the one photographed), the others in Chromium.
 * @param {import('./harness.js').Stack} stack
 * @param {string} fixture
 * @param {import('puppeteer-core').Viewport} viewport
 * @param {number} count
 */
async function openRoom(stack, fixture, viewport, count, firstBrowser = stack.chromium) {
  const { chromium, host, server } = stack;
  const roomId = crypto.randomUUID();
  const pages = [];
  for (const [index, name] of NAMES.slice(0, count).entries()) {
    const browser = index === 0 ? firstBrowser : chromium;
    pages.push(await visitRoom(browser, host, server, roomId, name, {}, { fixture, viewport }));
  }
  for (const page of pages) await waitForRemoteVideo(page, count - 1);
  return pages;
}

/**
 * Shows every page the view, waits for moving video on the first, saves its PNG and its facts.
 * @param {Page[]} pages
 * @param {View} view
 * @param {string} file
 * @param {Omit<LayoutFacts, 'tiles'>} facts
 */
async function shoot(pages, view, file, facts) {
  for (const page of pages) await setView(page, view);
  const remote = await waitForRemoteVideo(pages[0], pages.length - 1);
  assert.ok(
    remote.every((tile) => tile.advanced),
    'every remote video moves before the screenshot',
  );
  await pages[0].bringToFront();
  await pages[0].screenshot({ path: `${SCREENSHOTS}${file}` });
  return pages[0].evaluate(layoutViolations, { tiles: pages.length, ...facts });
}

describe('screenshots and layout facts', () => {
  /** @type {import('./harness.js').Stack<true>} */
  let stack;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack({ firefox: true });
  });

  after(() => stack?.close());

  for (const viewport of [DESKTOP, PHONE]) {
    const size = `${viewport.width}x${viewport.height}`;
    const isPhone = viewport === PHONE;

    describe(`three visitors, the room filling a ${size} viewport`, () => {
      /** @type {Page[]} */
      let pages = [];
      before(async () => {
        pages = await openRoom(stack, 'full-viewport.html', viewport, 3);
      });
      after(() => Promise.all(pages.map((page) => page.close())));

      const facts = { fillsViewport: true, minButton: isPhone ? TOUCH_TARGET : 0 };
      for (const lang of LANGS) {
        for (const layout of LAYOUTS) {
          it(`keeps ${layout} in ${lang} inside the room`, async () => {
            const file = `${layout}-${lang}-${size}.png`;
            assert.deepEqual(await shoot(pages, { layout, lang }, file, facts), [], file);
          });
        }
      }

      for (const theme of isPhone ? [] : ['light', 'dark']) {
        it(`keeps speaker in the ${theme} theme inside the room`, async () => {
          const file = `speaker-en-${theme}-${size}.png`;
          const found = await shoot(pages, { layout: 'speaker', lang: 'en', theme }, file, facts);
          assert.deepEqual(found, [], file);
        });
      }

      if (isPhone) {
        for (const lang of LANGS) {
          it(`keeps the open chat in ${lang} and the controls inside the room`, async () => {
            const page = pages[0];
            await setView(page, { layout: 'grid', lang });
            await page.click('rtc-room >>> [data-action="chat"]');
            try {
              await page.waitForSelector('rtc-room >>> [part~="chat"]', {
                visible: true,
                timeout: 5000,
              });
              const file = `chat-${lang}-${size}.png`;
              const found = await shoot(pages, { layout: 'grid', lang }, file, {
                ...facts,
                chatOpen: true,
              });
              assert.deepEqual(found, [], file);
            } finally {
              // Closed by script: a broken layout may have hidden the button from a click.
              await page.evaluate(() => {
                const toggle = document
                  .querySelector('rtc-room')
                  .shadowRoot.querySelector('[data-action="chat"]');
                if (!(toggle instanceof HTMLElement))
                  throw new Error('the room shows no chat button');
                toggle.click();
              });
              await page.waitForSelector('rtc-room >>> [part~="chat"]', { hidden: true });
            }
          });
        }
      }
    });
  }

  describe('four visitors, the room in an 800×450 box on a page of text', () => {
    /** @type {Page[]} */
    let pages = [];
    before(async () => {
      pages = await openRoom(stack, 'boxed.html', DESKTOP, 4);
    });
    after(() => Promise.all(pages.map((page) => page.close())));

    for (const lang of LANGS) {
      for (const layout of LAYOUTS) {
        it(`keeps ${layout} in ${lang} inside the box`, async () => {
          const file = `boxed-${layout}-${lang}-800x450.png`;
          const found = await shoot(pages, { layout, lang }, file, {
            size: { width: 800, height: 450 },
          });
          assert.deepEqual(found, [], file);
          if (layout === 'grid' && lang === 'en') {
            const room = await pages[0].$('rtc-room');
            if (!room) throw new Error('the page shows no rtc-room');
            await room.screenshot({ path: README_PICTURE });
          }
        });
      }
    }
  });

  describe('three visitors seen from Firefox, the room in an 800×450 box', () => {
    /** @type {Page[]} */
    let pages = [];
    before(async () => {
      pages = await openRoom(stack, 'boxed.html', DESKTOP, 3, stack.firefox);
    });
    after(() => Promise.all(pages.map((page) => page.close())));

    for (const layout of LAYOUTS) {
      it(`keeps ${layout} in zh-CN inside the box`, async () => {
        const file = `firefox-boxed-${layout}-zh-CN-800x450.png`;
        const found = await shoot(pages, { layout, lang: 'zh-CN' }, file, {
          size: { width: 800, height: 450 },
        });
        assert.deepEqual(found, [], file);
      });
    }
  });

  describe('the door: a host with two knockers, and a knocker waiting', () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const size = `${viewport.width}x${viewport.height}`;
      const minButton = viewport === PHONE ? TOUCH_TARGET : 0;

      it(`keeps the host's panels and the waiting panel inside the room at ${size}`, async () => {
        // The knockers come from Firefox: every page of the host's browser holds the host key.
        const { chromium, firefox, host, server } = stack;
        // A room created locked: the host's key reaches its browser through a host link.
        const response = await fetch(`${server.url}/api/rooms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ locked: true }),
        });
        assert.equal(response.status, 201);
        const { roomId, hostKey } = /** @type {{ roomId: string, hostKey: string }} */ (
          await response.json()
        );
        const options = { fixture: 'full-viewport.html', viewport };
        const hostPage = await visitRoom(
          chromium,
          host,
          server,
          roomId,
          'Hana',
          {},
          {
            ...options,
            fragment: `host=${encodeURIComponent(hostKey)}`,
          },
        );
        const knockers = [];
        try {
          await waitInPage(
            hostPage,
            () => document.querySelector('rtc-room')?.participants[0]?.role === 'host',
            undefined,
            'the host role',
          );
          for (const name of ['Kim', '李娜']) {
            const page = await visitRoom(firefox, host, server, roomId, name, {}, options);
            knockers.push(page);
            await waitInPage(
              page,
              () => document.querySelector('rtc-room')?.state === 'waiting',
              undefined,
              `${name} waiting`,
            );
          }
          await waitInPage(
            hostPage,
            () => document.querySelector('rtc-room').knocking.length === 2,
            undefined,
            'two knocking',
          );
          for (const lang of LANGS) {
            for (const page of [hostPage, knockers[0]]) {
              await page.evaluate(async (value) => {
                const room = document.querySelector('rtc-room');
                room.setAttribute('lang', value);
                await room.updateComplete;
              }, lang);
            }
            await hostPage.bringToFront();
            await hostPage.screenshot({ path: `${SCREENSHOTS}host-knocking-${lang}-${size}.png` });
            const hostFacts = { tiles: 1, fillsViewport: true, minButton };
            assert.deepEqual(
              [
                ...(await hostPage.evaluate(layoutViolations, hostFacts)),
                ...(await hostPage.evaluate(panelViolations, {
                  parts: ['host-panel', 'knock-panel'],
                  minButton,
                })),
              ],
              [],
              `host-knocking-${lang}-${size}.png`,
            );
            await knockers[0].bringToFront();
            await knockers[0].screenshot({ path: `${SCREENSHOTS}waiting-${lang}-${size}.png` });
            assert.deepEqual(
              await knockers[0].evaluate(panelViolations, { parts: ['waiting'], minButton }),
              [],
              `waiting-${lang}-${size}.png`,
            );
          }
        } finally {
          for (const page of [hostPage, ...knockers]) await page.close();
        }
      });
    }
  });
});

/**
 * Runs in the page: what does not hold of the door's panels (`parts`), in words: each shown and
 * inside the room, each of its buttons inside the viewport, clickable and at least `minButton`.
 * @param {{ parts: string[], minButton: number }} facts
 */
function panelViolations({ parts, minButton }) {
  const room = document.querySelector('rtc-room');
  const root = room.shadowRoot;
  const box = room.getBoundingClientRect();
  const inside = (/** @type {DOMRect} */ rect, /** @type {DOMRect} */ outer) =>
    rect.left >= outer.left - 1 &&
    rect.top >= outer.top - 1 &&
    rect.right <= outer.right + 1 &&
    rect.bottom <= outer.bottom + 1;
  /** @type {string[]} */
  const violations = [];
  for (const part of parts) {
    const panel = root.querySelector(`[part~="${part}"]`);
    if (!panel?.checkVisibility()) {
      violations.push(`no ${part} shown`);
      continue;
    }
    if (!inside(panel.getBoundingClientRect(), box)) violations.push(`the ${part} leaves the room`);
    for (const button of [...panel.querySelectorAll('button')].filter((b) => b.checkVisibility())) {
      const rect = button.getBoundingClientRect();
      const label = `${part} button ${button.textContent?.trim() || button.getAttribute('aria-label')}`;
      const hit = root.elementFromPoint(rect.left + rect.width / 2, rect.top + rect.height / 2);
      if (!inside(rect, box) || !hit || !button.contains(hit)) {
        violations.push(`${label} cannot be seen and clicked`);
      }
      if (rect.width < minButton - 0.5 || rect.height < minButton - 0.5) {
        violations.push(`${label} is ${Math.round(rect.width)}×${Math.round(rect.height)}`);
      }
    }
  }
  return violations;
}

describe('the demo page', () => {
  /** @type {import('./harness.js').Stack} */
  let stack;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startStack();
  });

  after(() => stack?.close());

  for (const viewport of [DESKTOP, PHONE]) {
    const size = `${viewport.width}x${viewport.height}`;

    it(`says what it is and shows the embed snippet for this server at ${size}`, async () => {
      const page = await stack.chromium.newPage();
      try {
        await page.setViewport(viewport);
        await page.goto(`${stack.server.url}/`);
        await page.waitForFunction(() => document.querySelector('rtc-room')?.state === 'idle');
        // The lobby is a chunk of its own: shown once it has loaded.
        await page.waitForSelector('rtc-room >>> [part="lobby"]');
        const snippet = await page.$eval(
          '#snippet',
          (/** @type {Element} */ code) => code.textContent,
        );
        assert.match(
          snippet,
          new RegExp(
            `^<script type="module" src="${stack.server.url}/rtc-room.js"></script>\\n` +
              `<rtc-room room-id="[0-9a-f-]{36}"></rtc-room>$`,
          ),
        );
        const fit = await page.evaluate(() => ({
          scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
          roomRight: document.querySelector('rtc-room').getBoundingClientRect().right,
        }));
        assert.ok(fit.scrollWidth <= viewport.width, `no sideways scrolling (${fit.scrollWidth})`);
        assert.ok(fit.roomRight <= viewport.width, 'the room fits the width');
        await page.screenshot({ path: `${SCREENSHOTS}demo-${size}.png`, fullPage: true });

        // A room created here is the one the snippet puts on another page.
        // Create room leads to the prejoin (a name, a look at the camera), then Join.
        await page.click('rtc-room >>> [part="lobby"] button.primary');
        await page.waitForFunction(() => document.querySelector('rtc-room').state === 'prejoin');
        // As a visitor does: Join once the camera shows (the prejoin grows around the preview,
        // and a click aimed before that may land beside the button).
        await page.waitForFunction(() => {
          const video = document
            .querySelector('rtc-room')
            .shadowRoot.querySelector('[part~="preview"] video');
          return video instanceof HTMLVideoElement && video.videoWidth > 0;
        });
        await page.click('rtc-room >>> [part~="prejoin"] button.primary');
        await page.waitForFunction(() => document.querySelector('rtc-room').state === 'joined');
        const roomId = await page.$eval(
          'rtc-room',
          (/** @type {import('../../src/rtc-room.js').RtcRoom} */ room) => room.roomId,
        );
        await page.waitForFunction(
          (/** @type {string} */ id) =>
            document.querySelector('#snippet')?.textContent.includes(`room-id="${id}"`),
          {},
          roomId,
        );
        await page.screenshot({ path: `${SCREENSHOTS}demo-in-room-${size}.png`, fullPage: true });
      } finally {
        await page.close();
      }
    });
  }
});
