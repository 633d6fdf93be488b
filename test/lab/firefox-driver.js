// Runs inside a visitor's namespace: drives a headless Firefox there (puppeteer talks to it over a
// WebSocket on that namespace's own loopback, which nothing outside can reach) and takes its
// orders as JSON lines on stdin, answering each on stdout. See `FirefoxInLab` in stack.js.
import { createInterface } from 'node:readline';
import { launchFirefox } from '../e2e/harness.js';
import { INTERNET } from './network.js';

// The lab's pages are plain http on lab addresses: Firefox is told to count them as secure, as
// Chromium is, so that they may use the camera.
const browser = await launchFirefox({
  prefs: { 'dom.securecontext.allowlist': [INTERNET.server, INTERNET.pages].join(',') },
});
/** @typedef {import('puppeteer-core').Page} Page */
/** @type {Map<number, Page>} */
const pages = new Map();
let nextPage = 1;

/** The page function a message carries, made a function again here. */
const revive = (/** @type {string} */ source) => new Function(`return (${source});`)();

/**
 * The fields of an order, as FirefoxInLab in stack.js sends them: each order reads its own.
 * @typedef {{
 *   page: number,
 *   url: string,
 *   source: string,
 *   args: unknown[],
 *   timeout: number,
 *   arg: unknown,
 *   viewport: import('puppeteer-core').Viewport,
 * }} Fields
 */

// Each order names a page newPage made (a cast to Page below says so), or a closed one.
/** @type {Record<string, (fields: Fields) => Promise<unknown>>} */
const orders = {
  newPage: async () => {
    const page = await browser.newPage();
    const id = nextPage++;
    pages.set(id, page);
    page.on('pageerror', (error) =>
      console.error('[firefox page error]', /** @type {Error} */ (error).message),
    );
    return id;
  },
  goto: ({ page, url }) => /** @type {Page} */ (pages.get(page)).goto(url).then(() => null),
  evaluate: ({ page, source, args }) =>
    /** @type {Page} */ (pages.get(page)).evaluate(revive(source), ...args),
  evaluateOnNewDocument: ({ page, source }) =>
    /** @type {Page} */ (pages.get(page)).evaluateOnNewDocument(revive(source)).then(() => null),
  waitForFunction: ({ page, source, timeout, arg }) =>
    /** @type {Page} */ (pages.get(page))
      .waitForFunction(revive(source), { timeout, polling: 100 }, arg)
      .then(() => null),
  setViewport: ({ page, viewport }) => /** @type {Page} */ (pages.get(page)).setViewport(viewport),
  closePage: async ({ page }) => {
    await pages.get(page)?.close();
    pages.delete(page);
    return null;
  },
};

const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  const { id, order, ...rest } = JSON.parse(line);
  try {
    const result = await orders[order](rest);
    process.stdout.write(`${JSON.stringify({ id, result: result ?? null })}\n`);
  } catch (error) {
    const message = /** @type {{ message?: unknown } | null | undefined} */ (error)?.message;
    process.stdout.write(`${JSON.stringify({ id, error: String(message ?? error) })}\n`);
  }
});
lines.on('close', async () => {
  await browser.close();
  process.exit(0);
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
