// Real browsers, a real rtc-room-server and a host page on another origin, all on 127.0.0.1.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { findBrowser } from '../browsers.js';
import { createRoomServer } from '../../server/app.js';
import { parseConfig } from '../../server/config.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
// Plain PeerJS for pages that bypass the widget (a baseline, a hostile peer).
const PEERJS_BUNDLE = fileURLToPath(
  new URL('../../node_modules/peerjs/dist/peerjs.min.js', import.meta.url),
);

/** Starts rtc-room-server on a free loopback port; extra flags as on the command line. */
export async function startRoomServer(flags = []) {
  const config = parseConfig(['--host', '127.0.0.1', '--port', '0', '--ice', 'none', ...flags], {});
  const room = createRoomServer(config);
  await new Promise((resolve) => room.server.listen(0, '127.0.0.1', resolve));
  const { port } = room.server.address();
  return { url: `http://127.0.0.1:${port}`, room, close: () => room.close() };
}

/** Serves the host page fixtures on their own port: a different origin from the server. */
export async function startHostPages() {
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://localhost');
    const name = pathname.replace(/^\/+/, '') || 'room.html';
    if (name === 'peerjs.js') {
      const body = await readFile(PEERJS_BUNDLE);
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      return;
    }
    if (!/^[\w-]+\.html$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(FIXTURES + name);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    // localhost, not 127.0.0.1: another origin than the server's, and still a secure context.
    url: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  // Everything runs on 127.0.0.1; Chromium leaves loopback out of ICE unless told.
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  // Background tabs must keep rendering video frames: several visitors share one browser.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/**
 * Headless Chromium with a fake camera and microphone, which its pages may use unless
 * `grantsMedia` is false: then every camera and microphone request is refused, as by a person.
 */
export function launchChromium({ grantsMedia = true } = {}) {
  const permission = grantsMedia ? '--use-fake-ui-for-media-stream' : '--deny-permission-prompts';
  return puppeteer.launch({
    executablePath: findBrowser('chromium'),
    headless: true,
    args: [...CHROMIUM_ARGS, permission],
  });
}

/** Headless Firefox ESR over WebDriver BiDi with a fake camera and microphone. */
export function launchFirefox() {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: findBrowser('firefox'),
    headless: true,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.peerconnection.ice.loopback': true,
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
      'network.proxy.allow_hijacking_localhost': false,
    },
  });
}

/**
 * Opens a visitor: a host page that embeds <rtc-room> with `attributes`.
 * @returns {Promise<import('puppeteer-core').Page>}
 */
export async function openVisitor(browser, hostUrl, serverUrl, attributes) {
  const context = browser.defaultBrowserContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  const query = new URLSearchParams({ server: serverUrl, ...attributes });
  await page.goto(`${hostUrl}/room.html?${query}`);
  return page;
}

/** Resolves when `predicate` (run in the page) returns a truthy value; rejects with `what`. */
export async function waitInPage(page, predicate, arg, what, timeout = 20_000) {
  try {
    return await page.waitForFunction(predicate, { timeout, polling: 100 }, arg);
  } catch (error) {
    const events = await page.evaluate(() => JSON.stringify(window.rtcEvents)).catch(() => '');
    throw new Error(`timed out waiting for ${what}; events: ${events}`, { cause: error });
  }
}

/** What a person sees of the room: every tile, its name and its video's progress. */
export function readTiles(page) {
  return page.evaluate(() => {
    const root = document.querySelector('rtc-room')?.shadowRoot;
    return [...(root?.querySelectorAll('[part~="tile"]') ?? [])].map((tile) => {
      const video = tile.querySelector('video');
      return {
        peerId: tile.dataset.peerId,
        isLocal: tile.matches('[part~="tile-local"]'),
        name: tile.querySelector('[part="name"]')?.textContent.trim(),
        hasPlaceholder: !!tile.querySelector('[part="placeholder"]'),
        videoWidth: video?.videoWidth ?? 0,
        currentTime: video?.currentTime ?? 0,
        videoHidden: video?.hidden ?? true,
      };
    });
  });
}

/** Waits until `count` remote tiles show video whose frames advance. */
export async function waitForRemoteVideo(page, count, timeout = 30_000) {
  await waitInPage(
    page,
    (expected) => {
      const root = document.querySelector('rtc-room')?.shadowRoot;
      const videos = [
        ...(root?.querySelectorAll('[part~="tile"]:not([part~="tile-local"]) video') ?? []),
      ];
      return videos.filter((v) => v.videoWidth > 0 && !v.hidden).length >= expected;
    },
    count,
    `${count} remote videos`,
    timeout,
  );
  const before = await readTiles(page);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await readTiles(page);
  return before
    .filter((tile) => !tile.isLocal)
    .map((tile) => ({
      ...tile,
      advanced: (after.find((t) => t.peerId === tile.peerId)?.currentTime ?? 0) > tile.currentTime,
    }));
}

/** Inbound audio bytes per remote participant, from the element's `getStats`. */
export function inboundAudioBytes(page) {
  return page.evaluate(async () => {
    const room = document.querySelector('rtc-room');
    const result = {};
    for (const participant of room.participants.filter((p) => !p.isLocal)) {
      const report = await room.getStats(participant.id);
      let bytes = 0;
      report?.forEach((stat) => {
        if (stat.type === 'inbound-rtp' && stat.kind === 'audio') bytes += stat.bytesReceived;
      });
      result[participant.id] = bytes;
    }
    return result;
  });
}

/** The events the page's element dispatched so far. */
export function readEvents(page) {
  return page.evaluate(() => window.rtcEvents);
}
