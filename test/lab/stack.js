// A room in the network lab: rtc-room-server, the host pages and coturn on the internet segment,
// and a headless Chromium inside each visitor's LAN, driven over a pipe so that this process
// never opens a lab address itself.
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { findBrowser, findTurnServer } from '../browsers.js';
import { CHROMIUM_ARGS } from '../e2e/harness.js';
import { janusCommand, writeJanusConfig } from '../server/janus-support.js';
import { createLab, INTERNET } from './network.js';

const SERVE = fileURLToPath(new URL('./serve.js', import.meta.url));
const TURN_SECRET = 'lab-turn-secret';

/** Where coturn answers: STUN and TURN on 3478 (UDP and TCP), TURN over TLS on 443. */
export const TURN_URLS = {
  udp: `turn:${INTERNET.turn}:3478?transport=udp`,
  tcp: `turn:${INTERNET.turn}:3478?transport=tcp`,
  tls: `turns:${INTERNET.turn}:443?transport=tcp`,
};
export const STUN_URL = `stun:${INTERNET.turn}:3478`;

/**
 * Where Janus's WebSocket API listens when the stack runs one: it binds the first address of the
 * internet segment's bridge, which is the server's, and gathers its candidates on that bridge.
 */
export const JANUS_URL = `ws://${INTERNET.server}:8188`;

/**
 * Runs in a page before its scripts: keeps every RTCPeerConnection the page makes, so that its
 * traffic can be read whichever route made it (the element's `getStats` covers what it receives).
 */
export function keepPeerConnections() {
  const Native = window.RTCPeerConnection;
  /** @type {RTCPeerConnection[]} */
  const made = [];
  window.labConnections = made;
  window.RTCPeerConnection = class extends Native {
    /** @param {RTCConfiguration} [config] */
    constructor(config) {
      super(config);
      made.push(this);
    }
  };
}

/**
 * Runs in a page before its scripts: a light visitor for rooms of a dozen on this machine's two
 * cores. Its camera sends 10 frames a second (Chromium's fake one gives 20), and its room is
 * 480 pixels wide (the page's own style says 960), so that the tiles of a large room ask Janus
 * for the lowest layer.
 */
export function useLightPage() {
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) =>
    getUserMedia(
      constraints?.video
        ? {
            ...constraints,
            video: {
              ...(typeof constraints.video === 'object' ? constraints.video : {}),
              frameRate: { max: 10 },
            },
          }
        : constraints,
    );
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('rtc-room { width: 480px; min-height: 300px; }');
  document.adoptedStyleSheets = [sheet];
}

/**
 * @typedef {object} LabStackOptions
 * @property {import('./network.js').VisitorNetwork[]} visitors
 * @property {boolean} [turn] whether the server hands out TURN (coturn runs either way, for STUN)
 * @property {boolean} [janus] whether Janus runs beside the server, which moves large rooms to it
 * @property {string[]} [serverFlags] more of rtc-room-server's flags (`--sfu-from 2`)
 * @property {string} [prefix] what the lab's namespace names start with (see `createLab`)
 */

/** @typedef {ReturnType<typeof createLab>} Lab */
/**
 * A child spawned with its stdin and stdout piped, as `stdio: ['pipe', 'pipe', …]` makes it.
 * @typedef {import('node:child_process').ChildProcessByStdio<
 *   import('node:stream').Writable,
 *   import('node:stream').Readable,
 *   null
 * >} PipedChild
 */

/**
 * Builds the lab and starts everything in it; `close()` tears all of it down.
 * @param {LabStackOptions} options
 */
export async function startLabStack({
  visitors,
  turn = true,
  janus = false,
  serverFlags = [],
  prefix,
}) {
  const lab = createLab(visitors, { prefix });
  const dir = mkdtempSync(join(tmpdir(), 'rtc-room-lab-'));
  /** @type {import('puppeteer-core').Browser[]} */
  const browsers = [];
  /** @type {import('node:child_process').ChildProcess[]} */
  const children = [];
  const close = async () => {
    await Promise.all(browsers.map((browser) => browser.close().catch(() => undefined)));
    for (const child of children) child.kill('SIGKILL');
    lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    children.push(startCoturn(lab, dir));
    const flags = ['--ice-servers', JSON.stringify([{ urls: STUN_URL }])];
    if (turn) {
      flags.push('--turn-secret', TURN_SECRET, '--turn-urls', Object.values(TURN_URLS).join(','));
    }
    const sfu = janus ? await startJanusIn(lab, dir, children) : null;
    if (sfu) flags.push(...sfu.flags);
    flags.push(...serverFlags);
    const serve = /** @type {PipedChild} */ (
      lab.spawnIn(
        lab.internet,
        process.execPath,
        [SERVE, INTERNET.server, INTERNET.pages, ...flags],
        {
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      )
    );
    children.push(serve);
    const urls = await firstLine(serve, 'the lab server');
    await waitForPorts(lab, INTERNET.turn, [3478, 443]);
    const stack = {
      lab,
      /** @type {{ server: string, host: string }} */
      urls: JSON.parse(urls),
      /** Chromium inside `visitor`'s LAN (one per visitor, launched on first use). */
      browserOf: async (/** @type {string} */ visitor) => {
        const browser = await launchChromiumIn(lab, visitor, dir, stack.urls);
        browsers.push(browser);
        return browser;
      },
      /** Firefox inside `visitor`'s LAN, driven through a driver process there. */
      firefoxOf: async (/** @type {string} */ visitor) => {
        const host = lab.visitors.get(visitor)?.host;
        if (!host) throw new Error(`no visitor ${visitor} in the lab`);
        // It stands in for a puppeteer Browser as far as the tests' helpers use one.
        const browser = /** @type {import('puppeteer-core').Browser} */ (
          /** @type {unknown} */ (await FirefoxInLab.start(lab, host))
        );
        browsers.push(browser);
        return browser;
      },
      /** Janus, when the stack runs one: `stop()` kills it, `start()` runs it again. */
      janus: sfu,
      close,
    };
    return stack;
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Janus in the internet namespace, and the server's flags that hand rooms to it.
 * @param {Lab} lab
 * @param {string} dir
 * @param {import('node:child_process').ChildProcess[]} children
 */
async function startJanusIn(lab, dir, children) {
  const janusDir = join(dir, 'janus');
  mkdirSync(janusDir);
  const { port } = new URL(JANUS_URL);
  const secrets = writeJanusConfig(janusDir, {
    port: Number(port),
    wsIp: INTERNET.server,
    iceInterface: 'br0',
  });
  /** @type {import('node:child_process').ChildProcess | null} */
  let janus = null;
  const start = async () => {
    const { program, args } = janusCommand(janusDir);
    janus = lab.spawnIn(lab.internet, program, args, { stdio: 'ignore' });
    children.push(janus);
    await waitForPorts(lab, INTERNET.server, [Number(port)]);
  };
  const stop = async () => {
    const running = janus;
    janus = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGKILL');
    await once(running, 'exit');
  };
  await start();
  return {
    start,
    stop,
    /** The process ID of the Janus running now (`ip netns exec` becomes it), if one runs. */
    pid: () => janus?.pid,
    flags: [
      '--janus-url',
      JANUS_URL,
      '--janus-api-secret',
      secrets.apiSecret,
      '--janus-token-secret',
      secrets.tokenSecret,
      '--janus-admin-key',
      secrets.adminKey,
    ],
  };
}

/**
 * @param {Lab} lab
 * @param {string} dir
 */
function startCoturn(lab, dir) {
  const cert = join(dir, 'turn-cert.pem');
  const key = join(dir, 'turn-key.pem');
  lab.exec(lab.internet, 'openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=turn.lab',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  return lab.spawnIn(
    lab.internet,
    findTurnServer(),
    [
      '-n',
      `--listening-ip=${INTERNET.turn}`,
      `--relay-ip=${INTERNET.turn}`,
      '--listening-port=3478',
      '--tls-listening-port=443',
      `--cert=${cert}`,
      `--pkey=${key}`,
      '--min-port=40000',
      '--max-port=40999',
      '--use-auth-secret',
      `--static-auth-secret=${TURN_SECRET}`,
      '--realm=rtc-room.lab',
      '--fingerprint',
      '--no-dtls',
      '--no-cli',
      '--no-stdout-log',
      ...(process.env.LAB_TURN_LOG
        ? ['--verbose', `--log-file=${process.env.LAB_TURN_LOG}`, '--simple-log']
        : ['--log-file=/dev/null']),
    ],
    { stdio: 'ignore' },
  );
}

/**
 * The first line `child` prints; rejects if it exits first.
 * @param {PipedChild} child
 * @param {string} what
 * @returns {Promise<string>}
 */
function firstLine(child, what) {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it started`)));
  });
}

/**
 * Waits, from inside the internet namespace, until every TCP port of the server listens.
 * @param {Lab} lab
 * @param {string} address
 * @param {number[]} ports
 */
async function waitForPorts(lab, address, ports) {
  const probe = `
    const net = require('node:net');
    const ports = ${JSON.stringify(ports)};
    const tryPort = (port, left) => new Promise((resolve, reject) => {
      const socket = net.connect(port, '${address}', () => { socket.destroy(); resolve(); });
      socket.on('error', () => left > 0
        ? setTimeout(() => tryPort(port, left - 1).then(resolve, reject), 100)
        : reject(new Error('nothing listens on ' + port)));
    });
    Promise.all(ports.map((port) => tryPort(port, 50))).catch((error) => {
      console.error(error.message);
      process.exit(1);
    });`;
  lab.exec(lab.internet, process.execPath, ['-e', probe]);
}

/**
 * Chromium in `visitor`'s namespace; the lab's pages count as secure for camera access.
 * @param {Lab} lab
 * @param {string} visitor
 * @param {string} dir
 * @param {{ server: string, host: string }} urls
 */
async function launchChromiumIn(lab, visitor, dir, urls) {
  const host = lab.visitors.get(visitor)?.host;
  if (!host) throw new Error(`no visitor ${visitor} in the lab`);
  const wrapper = join(dir, `chromium-${visitor}`);
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${host} ${findBrowser('chromium')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return puppeteer.launch({
    executablePath: wrapper,
    pipe: true,
    headless: true,
    args: [
      ...CHROMIUM_ARGS.filter((arg) => arg !== '--allow-loopback-in-peer-connection'),
      '--use-fake-ui-for-media-stream',
      // coturn's TLS certificate is the lab's own, signed by nobody Chromium knows.
      '--ignore-certificate-errors',
      `--unsafely-treat-insecure-origin-as-secure=${urls.host},${urls.server}`,
    ],
  });
}

const FIREFOX_DRIVER = fileURLToPath(new URL('./firefox-driver.js', import.meta.url));

/**
 * A Firefox in a lab namespace, as far as the tests' helpers use a puppeteer browser and its
 * pages: each call goes as one JSON line to firefox-driver.js there, page functions as source.
 */
class FirefoxInLab {
  /** @param {PipedChild} driver */
  constructor(driver) {
    this.driver = driver;
    this.nextId = 1;
    /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
    this.waiting = new Map();
    createInterface({ input: driver.stdout }).on('line', (line) => {
      const { id, result, error } = JSON.parse(line);
      const call = this.waiting.get(id);
      this.waiting.delete(id);
      if (error) call?.reject(new Error(error));
      else call?.resolve(result);
    });
    driver.once('exit', () => {
      for (const call of this.waiting.values()) call.reject(new Error('the Firefox driver exited'));
      this.waiting.clear();
    });
  }

  /**
   * @param {Lab} lab
   * @param {string} host
   */
  static async start(lab, host) {
    const driver = /** @type {PipedChild} */ (
      lab.spawnIn(host, process.execPath, [FIREFOX_DRIVER], {
        stdio: ['pipe', 'pipe', 'inherit'],
      })
    );
    await firstLine(driver, 'the Firefox driver');
    return new FirefoxInLab(driver);
  }

  /**
   * @param {string} order
   * @param {Record<string, unknown>} [fields]
   * @returns {Promise<unknown>}
   */
  send(order, fields = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.driver.stdin.write(`${JSON.stringify({ id, order, ...fields })}\n`);
    });
  }

  defaultBrowserContext() {
    return this;
  }

  async newPage() {
    const page = await this.send('newPage');
    /**
     * @param {string} order
     * @param {Record<string, unknown>} [fields]
     */
    const send = (order, fields) => this.send(order, { page, ...fields });
    return {
      on: () => undefined,
      goto: (/** @type {string} */ url) => send('goto', { url }),
      setViewport: (/** @type {unknown} */ viewport) => send('setViewport', { viewport }),
      evaluate: (/** @type {Function} */ fn, /** @type {unknown[]} */ ...args) =>
        send('evaluate', { source: String(fn), args }),
      evaluateOnNewDocument: (/** @type {Function} */ fn) =>
        send('evaluateOnNewDocument', { source: String(fn) }),
      waitForFunction: (
        /** @type {Function} */ fn,
        /** @type {{ timeout?: number }} */ { timeout },
        /** @type {unknown} */ arg,
      ) => send('waitForFunction', { source: String(fn), timeout, arg }),
      close: () => send('closePage'),
    };
  }

  async close() {
    this.driver.stdin.end();
    await new Promise((resolve) => this.driver.once('exit', resolve));
  }
}
