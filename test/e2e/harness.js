// Real browsers, a real rtc-room-server and a host page on another origin, all on 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { findBrowser, findTurnServer } from '../browsers.js';
import { createRoomServer } from '../../server/app.js';
import { parseConfig } from '../../server/config.js';

/** @typedef {import('puppeteer-core').Browser} Browser */
/** @typedef {import('puppeteer-core').Page} Page */
/** @typedef {Awaited<ReturnType<typeof startRoomServer>>} RoomServerHandle */
/** @typedef {Awaited<ReturnType<typeof startHostPages>>} HostPages */
/** @typedef {ReturnType<typeof turnServer>} TurnServer */
/** @typedef {Awaited<ReturnType<typeof readTiles>>[number]} Tile */

/**
 * What startStack started: Firefox with `firefox` (F) and coturn with `turn` (T).
 * @template {boolean} [F=boolean]
 * @template {boolean} [T=boolean]
 * @typedef {object} Stack
 * @property {RoomServerHandle} server
 * @property {HostPages} host
 * @property {Browser} chromium
 * @property {F extends true ? Browser : null} firefox
 * @property {T extends true ? TurnServer : null} turn
 * @property {() => Promise<void>} close
 */

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
// Plain PeerJS for pages that bypass the widget (a baseline, a hostile peer).
const PEERJS_BUNDLE = fileURLToPath(
  new URL('../../node_modules/peerjs/dist/peerjs.min.js', import.meta.url),
);

/**
 * Starts rtc-room-server on a free port of `address` (loopback unless a lab host's); extra flags
 * as on the command line.
 * @param {string[]} [flags]
 * @param {string} [address]
 */
export async function startRoomServer(flags = [], address = '127.0.0.1') {
  const config = parseConfig(
    ['--host', address, '--port', '0', '--ice', 'none', '--log-level', 'error', ...flags],
    {},
  );
  const room = createRoomServer(config);
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => room.server.listen(0, address, resolve))
  );
  const { port } = /** @type {import('node:net').AddressInfo} */ (room.server.address());
  return { url: `http://${address}:${port}`, room, close: () => room.close() };
}

/**
 * Everything an end-to-end suite needs: rtc-room-server (with coturn behind it when `turn`, and
 * `serverFlags` on its command line), the host pages on another origin, and the browsers.
 * `close()` stops all of it.
 * @template {boolean} [F=false]
 * @template {boolean} [T=false]
 * @param {{ firefox?: F, turn?: T, serverFlags?: string[] }} [options]
 * @returns {Promise<Stack<F, T>>}
 */
export async function startStack({ firefox, turn, serverFlags = [] } = {}) {
  /** @type {Partial<Stack>} */
  const stack = { turn: null, firefox: null };
  try {
    if (turn) stack.turn = await startTurnServer();
    const flags = stack.turn
      ? ['--turn-secret', stack.turn.secret, '--turn-urls', stack.turn.url]
      : [];
    stack.server = await startRoomServer([...flags, ...serverFlags]);
    stack.host = await startHostPages();
    stack.chromium = await launchChromium();
    if (firefox) stack.firefox = await launchFirefox();
  } catch (error) {
    await closeStack(stack);
    throw error;
  }
  stack.close = () => closeStack(stack);
  // Every part has started by now.
  return /** @type {Stack<F, T>} */ (stack);
}

/** @param {Partial<Stack>} stack what has started of it */
async function closeStack({ firefox, chromium, host, server, turn }) {
  await firefox?.close();
  await chromium?.close();
  await host?.close();
  await server?.close();
  await turn?.close();
}

/** @type {Record<string, string>} */
const FIXTURE_TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/**
 * Host pages and one Chromium for a suite whose tests start their own servers: opened before the
 * suite and closed after it. Tests read `host` and `browser` from the returned object.
 */
export function useHostAndChromium() {
  // Filled in by before(), which runs before any test reads it.
  const suite = /** @type {{ host: HostPages, browser: Browser }} */ ({});
  before(async () => {
    suite.host = await startHostPages();
    suite.browser = await launchChromium();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.host?.close();
  });
  return suite;
}

/**
 * Serves the host page fixtures on their own port: a different origin from the server. On
 * loopback they are named `localhost`, a secure context; a lab host's address is not one.
 */
export async function startHostPages(address = '127.0.0.1', port = 0) {
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    const name = pathname.replace(/^\/+/, '') || 'room.html';
    if (name === 'peerjs.js') {
      const body = await readFile(PEERJS_BUNDLE);
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      return;
    }
    const type = FIXTURE_TYPES[/^[\w-]+\.(html|js)$/.exec(name)?.[1] ?? ''];
    if (!type) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(FIXTURES + name);
      response.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await /** @type {Promise<void>} */ (
    new Promise((resolve) => server.listen(port, address, resolve))
  );
  const { port: listening } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const url = new URL(`http://${address}:${listening}`);
  // localhost, not 127.0.0.1: another origin than the server's, and still a secure context.
  if (address === '127.0.0.1') url.hostname = 'localhost';
  return {
    url: url.origin,
    close: () =>
      /** @type {Promise<void>} */ (new Promise((resolve) => server.close(() => resolve()))),
  };
}

export const CHROMIUM_ARGS = [
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
  // WebGL in software (the background effect's segmentation), which headless Chromium with no
  // GPU otherwise refuses.
  '--enable-unsafe-swiftshader',
];

/**
 * Headless Chromium with a fake camera and microphone, which its pages may use unless
 * `grantsMedia` is false: then every camera and microphone request is refused, as by a person.
 * `camera` names a picture (MJPEG) the fake camera shows instead of its own pattern.
 * @param {{ grantsMedia?: boolean, camera?: string }} [options]
 */
export function launchChromium({ grantsMedia = true, camera } = {}) {
  const permission = grantsMedia ? '--use-fake-ui-for-media-stream' : '--deny-permission-prompts';
  const file = camera ? [`--use-file-for-fake-video-capture=${camera}`] : [];
  return puppeteer.launch({
    executablePath: findBrowser('chromium'),
    headless: true,
    args: [...CHROMIUM_ARGS, permission, ...file],
  });
}

/** Headless Firefox ESR over WebDriver BiDi with a fake camera and microphone; `prefs` add to its own. */
export function launchFirefox({ prefs = {} } = {}) {
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
      ...prefs,
    },
  });
}

/**
 * Opens a visitor: a host page that embeds <rtc-room> with `attributes`; `fixture` names
 * another host page than room.html, `viewport` sets the page's size before it loads, and
 * `beforeLoad` runs in the page before any of its scripts (each of them, when several).
 * @param {Browser} browser
 * @param {string} hostUrl
 * @param {string} serverUrl
 * @param {Record<string, string>} attributes
 * @param {VisitOptions} [options]
 * @returns {Promise<Page>}
 */
export async function openVisitor(
  browser,
  hostUrl,
  serverUrl,
  attributes,
  { fixture = 'room.html', viewport, beforeLoad, fragment, inWindow } = {},
) {
  const context = browser.defaultBrowserContext();
  const page = await context.newPage(inWindow ? { type: 'window' } : undefined);
  page.on('pageerror', (error) =>
    console.error('[page error]', error instanceof Error ? error.message : error),
  );
  if (viewport) await page.setViewport(viewport);
  for (const script of [beforeLoad ?? []].flat()) await page.evaluateOnNewDocument(script);
  const query = new URLSearchParams({ server: serverUrl, ...attributes });
  await page.goto(`${hostUrl}/${fixture}?${query}${fragment ? `#${fragment}` : ''}`);
  return page;
}

/**
 * How a visitor's page opens: see openVisitor. `inWindow` opens it in a window of its own: of a
 * browser's tabs only the front one is visible, and a hidden page receives no video from Janus.
 * @typedef {{
 *   fixture?: string,
 *   viewport?: import('puppeteer-core').Viewport,
 *   beforeLoad?: (() => unknown) | (() => unknown)[],
 *   fragment?: string,
 *   inWindow?: boolean,
 * }} VisitOptions
 */

/**
 * Opens a visitor who joins `roomId` at once (`no-prejoin`) under `name`.
 * @param {Browser} browser
 * @param {{ url: string }} host
 * @param {{ url: string }} server
 * @param {string} roomId
 * @param {string} name
 * @param {Record<string, string>} [attributes]
 * @param {VisitOptions} [options]
 */
export function visitRoom(browser, host, server, roomId, name, attributes = {}, options = {}) {
  return openVisitor(
    browser,
    host.url,
    server.url,
    { 'room-id': roomId, name, 'no-prejoin': '', ...attributes },
    options,
  );
}

/**
 * What a value is once known to be truthy.
 * @template T
 * @typedef {Exclude<T, null | undefined | false | 0 | ''>} Truthy
 */

/**
 * Resolves when `predicate` (run in the page) returns a truthy value; rejects with `what`.
 * @template A
 * @template {import('puppeteer-core').EvaluateFunc<[A]>} F
 * @param {Page} page
 * @param {F} predicate
 * @param {A} arg
 * @param {string} what
 * @param {number} [timeout]
 * @returns {Promise<import('puppeteer-core').HandleFor<Truthy<Awaited<ReturnType<F>>>>>}
 */
export async function waitInPage(page, predicate, arg, what, timeout = 20_000) {
  try {
    const handle = await page.waitForFunction(predicate, { timeout, polling: 100 }, arg);
    // waitForFunction resolves on a truthy value only.
    return /** @type {import('puppeteer-core').HandleFor<Truthy<Awaited<ReturnType<F>>>>} */ (
      handle
    );
  } catch (error) {
    const events = await page.evaluate(() => JSON.stringify(window.rtcEvents)).catch(() => '');
    throw new Error(`timed out waiting for ${what}; events: ${events}`, { cause: error });
  }
}

/**
 * Waits until the element in `page` has joined its room; rejects naming `name`'s join.
 * @param {Page} page
 * @param {string} name
 * @param {number} [timeout]
 */
export function waitForJoin(page, name, timeout = 30_000) {
  return waitInPage(
    page,
    () => document.querySelector('rtc-room').state === 'joined',
    undefined,
    `${name}'s join`,
    timeout,
  );
}

/**
 * What a person sees of the room: every tile, its name and its video's progress.
 * @param {Page} page
 */
export function readTiles(page) {
  return page.evaluate(() => {
    const root = document.querySelector('rtc-room')?.shadowRoot;
    /** @type {NodeListOf<HTMLElement> | undefined} */
    const tiles = root?.querySelectorAll('[part~="tile"]');
    return [...(tiles ?? [])].map((tile) => {
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

/**
 * Waits until `count` remote tiles show video whose frames advance.
 * @param {Page} page
 * @param {number} count
 * @param {number} [timeout]
 */
export async function waitForRemoteVideo(page, count, timeout = 30_000) {
  await waitInPage(
    page,
    (expected) => {
      const root = document.querySelector('rtc-room')?.shadowRoot;
      /** @type {NodeListOf<HTMLVideoElement> | undefined} */
      const remote = root?.querySelectorAll('[part~="tile"]:not([part~="tile-local"]) video');
      const videos = [...(remote ?? [])];
      return videos.filter((v) => v.videoWidth > 0 && !v.hidden).length >= expected;
    },
    count,
    `${count} remote videos`,
    timeout,
  );
  // Frames must keep coming: each remote video's time moves on within a few seconds.
  const before = await readTiles(page);
  let after = before;
  const hasAdvanced = (/** @type {Tile} */ tile) =>
    (after.find((t) => t.peerId === tile.peerId)?.currentTime ?? 0) > tile.currentTime;
  const remote = before.filter((tile) => !tile.isLocal);
  for (let waited = 0; waited < 5000 && !remote.every(hasAdvanced); waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    after = await readTiles(page);
  }
  return remote.map((tile) => ({ ...tile, advanced: hasAdvanced(tile) }));
}

/**
 * Waits until the page shows exactly `count` tiles (its own included).
 * @param {Page} page
 * @param {number} count
 * @param {string} what
 * @param {number} [timeout]
 */
export function waitForTileCount(page, count, what, timeout) {
  return waitInPage(
    page,
    (expected) =>
      document.querySelector('rtc-room').shadowRoot.querySelectorAll('[part~="tile"]').length ===
      expected,
    count,
    what,
    timeout,
  );
}

/**
 * Asserts that audio from each of `count` remote participants keeps arriving.
 * @param {Page} page
 * @param {number} count
 */
export async function assertAudioArrives(page, count) {
  const first = await inboundAudioBytes(page);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const second = await inboundAudioBytes(page);
  assert.equal(Object.keys(second).length, count, 'audio from every remote participant');
  for (const [peerId, bytes] of Object.entries(second)) {
    assert.ok(bytes > (first[peerId] ?? 0), `audio from ${peerId} keeps arriving`);
  }
}

/**
 * Opens the page that uses PeerJS directly, without the widget (peerjs-call.html), with `params`
 * in its query: `server` names rtc-room-server.
 * @param {Browser} browser
 * @param {string} hostUrl
 * @param {Record<string, string>} params
 * @returns {Promise<Page>}
 */
export async function openPlainPeerPage(browser, hostUrl, params) {
  const page = await browser.newPage();
  try {
    await page.goto(`${hostUrl}/peerjs-call.html?${new URLSearchParams(params)}`);
    return page;
  } catch (error) {
    await page.close();
    throw error;
  }
}

/**
 * One call between two pages that use PeerJS directly (no widget) through rtc-room-server;
 * resolves with the caller's ms from nothing to the first decoded remote frame.
 * @param {Browser} browser
 * @param {{ url: string }} host
 * @param {{ url: string }} server
 */
export async function callWithPlainPeerJs(browser, host, server) {
  const answerer = await openPlainPeerPage(browser, host.url, { server: server.url });
  /** @type {Page | undefined} */
  let caller;
  try {
    caller = await openPlainPeerPage(browser, host.url, { server: server.url });
    const answererId = `plain-${crypto.randomUUID()}`;
    await answerer.evaluate((id) => window.answerCalls(id), answererId);
    const elapsed = await caller.evaluate(
      (id, remote) => window.timeCallToFirstFrame(id, remote),
      `plain-${crypto.randomUUID()}`,
      answererId,
    );
    const width = await caller.evaluate(() => document.querySelector('video')?.videoWidth ?? 0);
    return { elapsed, width };
  } finally {
    await Promise.all([answerer.close(), caller?.close()]);
  }
}

/**
 * Inbound audio bytes per remote participant, from the element's `getStats`.
 * @param {Page} page
 */
export function inboundAudioBytes(page) {
  return page.evaluate(async () => {
    const room = document.querySelector('rtc-room');
    /** @type {Record<string, number>} */
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

/**
 * The events the page's element dispatched so far.
 * @param {Page} page
 */
export function readEvents(page) {
  return page.evaluate(() => window.rtcEvents);
}

/**
 * A UDP port on loopback that is free now, below the kernel's ephemeral range (32768 and up): a
 * port picked there can be handed to any socket bound to port 0 (a browser's ICE candidates)
 * before coturn binds it, and coturn then waits for it.
 */
async function freeUdpPort() {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    /** @type {boolean} */
    const isFree = await new Promise((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (isFree) return port;
  }
}

/**
 * Resolves with whether a STUN Binding request to 127.0.0.1:port is answered in `timeout` ms.
 * @param {number} port
 * @param {number} timeout
 */
async function answersStun(port, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    /** @type {boolean} */
    const answered = await new Promise((resolve) => {
      const socket = createSocket('udp4');
      // Binding request: type 0x0001, length 0, magic cookie, 12-byte transaction ID.
      const request = Buffer.concat([
        Buffer.from([0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42]),
        randomBytes(12),
      ]);
      const timer = setTimeout(() => socket.close(() => resolve(false)), 200);
      socket.once('message', () => {
        clearTimeout(timer);
        socket.close(() => resolve(true));
      });
      socket.send(request, port, '127.0.0.1');
    });
    if (answered) return true;
  }
  return false;
}

/**
 * Starts Debian's coturn on loopback with TURN REST API credentials (a shared secret), as an
 * operator would run it beside rtc-room-server. A coturn that does not answer in 5 s (its port
 * taken meanwhile) is stopped and another started on another port, three times at most.
 */
export async function startTurnServer() {
  const secret = randomBytes(16).toString('hex');
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort();
    const child = spawnTurnServer(port, secret);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const answered = await Promise.race([answersStun(port, 5_000), exited.then(() => 'exited')]);
    if (answered === true) return turnServer(port, secret, child, exited);
    child.kill('SIGTERM');
    await exited;
    if (attempt === 3) {
      throw new Error(
        answered === 'exited'
          ? 'turnserver exited at start'
          : `coturn did not answer on 127.0.0.1 (three ports tried, the last ${port})`,
      );
    }
  }
}

/**
 * @param {number} port
 * @param {string} secret
 */
function spawnTurnServer(port, secret) {
  // Relayed ports below the ephemeral range too, for the same reason.
  const relayBase = 10_000 + Math.floor(Math.random() * 9_000);
  return spawn(
    findTurnServer(),
    [
      '-n',
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      `--min-port=${relayBase}`,
      `--max-port=${relayBase + 200}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=rtc-room.test',
      '--allow-loopback-peers',
      '--fingerprint',
      '--no-tls',
      '--no-dtls',
      '--no-cli',
      '--no-stdout-log',
      '--log-file=/dev/null',
    ],
    { stdio: 'ignore' },
  );
}

/**
 * @param {number} port
 * @param {string} secret
 * @param {import('node:child_process').ChildProcess} child
 * @param {Promise<unknown>} exited
 */
function turnServer(port, secret, child, exited) {
  return {
    url: `turn:127.0.0.1:${port}?transport=udp`,
    secret,
    /**
     * Credentials made with the secret, valid until `expiresAt` (seconds since the epoch).
     * @param {number} expiresAt
     * @param {string} [user]
     */
    credentials(expiresAt, user = 'e2e') {
      const username = `${expiresAt}:${user}`;
      return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The connection to every remote participant, as the element reports it.
 * @param {Page} page
 */
export function readConnections(page) {
  return page.evaluate(() =>
    document
      .querySelector('rtc-room')
      .participants.filter((participant) => !participant.isLocal)
      .map((participant) => ({ name: participant.name, ...participant.connection })),
  );
}

/**
 * Opens the chat panel and returns the text of every message line a person sees.
 * @param {Page} page
 */
export async function readChatLines(page) {
  await page.evaluate(() => {
    const room = document.querySelector('rtc-room');
    const toggle = room.shadowRoot.querySelector('[data-action="chat"]');
    if (!(toggle instanceof HTMLElement)) throw new Error('the room shows no chat button');
    if (toggle.getAttribute('aria-expanded') !== 'true') toggle.click();
  });
  await waitInPage(
    page,
    () => document.querySelector('rtc-room').shadowRoot.querySelector('rtc-chat-panel')?.shadowRoot,
    undefined,
    'the chat panel',
  );
  return page.evaluate(() => {
    const panel = document.querySelector('rtc-room').shadowRoot.querySelector('rtc-chat-panel');
    if (!panel?.shadowRoot) throw new Error('the chat panel is gone');
    return [...panel.shadowRoot.querySelectorAll('[part~="message"]')].map((line) =>
      line.textContent.replace(/\s+/g, ' ').trim(),
    );
  });
}

/** What `readFirstPicture` reads of the picture `sendTwoColourPicture` sends. */
export const TWO_COLOUR_PICTURE = {
  width: 300,
  height: 200,
  topLeft: [200, 30, 60, 255],
  bottomRight: [10, 220, 90, 255],
};

/**
 * Sends, from `page`'s room, a 300×200 PNG of two known colours: red, and green in its bottom
 * right quarter (see `readFirstPicture`).
 * @param {Page} page
 */
export function sendTwoColourPicture(page) {
  return page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 300;
    canvas.height = 200;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.fillStyle = 'rgb(200, 30, 60)';
    context.fillRect(0, 0, 300, 200);
    context.fillStyle = 'rgb(10, 220, 90)';
    context.fillRect(150, 100, 150, 100);
    /** @type {Blob | null} */
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the canvas made no PNG');
    await document.querySelector('rtc-room').sendImage(blob);
  });
}

/**
 * Waits for the first picture in `page`'s chat and decodes it: its size, a pixel of each colour
 * `sendTwoColourPicture` paints, and who sent it.
 * @param {Page} page
 */
export async function readFirstPicture(page) {
  await waitInPage(
    page,
    () => document.querySelector('rtc-room').messages.some((m) => m.picture?.url),
    undefined,
    'the picture',
  );
  return page.evaluate(async () => {
    const message = document.querySelector('rtc-room').messages.find((m) => m.picture?.url);
    const url = message?.picture?.url;
    if (!url) throw new Error('the picture is gone');
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(image, 0, 0);
    return {
      width: image.naturalWidth,
      height: image.naturalHeight,
      topLeft: [...context.getImageData(10, 10, 1, 1).data],
      bottomRight: [...context.getImageData(290, 190, 1, 1).data],
      from: message.senderName,
    };
  });
}

/**
 * The candidate pair each remote participant's connection uses now, from the element's
 * `getStats`: both ends' candidate types, and how this side reaches its TURN server.
 * @param {Page} page
 */
export function readSelectedPaths(page) {
  return page.evaluate(async () => {
    const room = document.querySelector('rtc-room');
    const paths = [];
    for (const participant of room.participants.filter((p) => !p.isLocal)) {
      const report = await room.getStats(participant.id);
      const stats = [...(report?.values() ?? [])];
      const transport = stats.find(
        (stat) => stat.type === 'transport' && stat.selectedCandidatePairId,
      );
      const pair =
        stats.find((stat) => stat.id === transport?.selectedCandidatePairId) ??
        stats.find(
          (stat) => stat.type === 'candidate-pair' && stat.nominated && stat.state === 'succeeded',
        );
      const local = stats.find((stat) => stat.id === pair?.localCandidateId);
      const remote = stats.find((stat) => stat.id === pair?.remoteCandidateId);
      paths.push({
        name: participant.name,
        local: local?.candidateType ?? null,
        remote: remote?.candidateType ?? null,
        relayProtocol: local?.relayProtocol ?? null,
        turnUrl: local?.url ?? null,
        remoteAddress: remote?.address ?? null,
      });
    }
    return paths;
  });
}
