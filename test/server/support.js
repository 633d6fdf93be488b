// Helpers for the server tests: a server per test on 127.0.0.1, and WebSocket clients that speak
// PeerServer's protocol the way PeerJS does.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SignJWT } from 'jose';
import pino from 'pino';
import { WebSocket } from 'ws';
import { makePeerId } from '../../src/room/room-id.js';
import { createRoomServer } from '../../server/app.js';
import { parseConfig } from '../../server/config.js';

/** @typedef {import('node:test').TestContext} TestContext */
/** @typedef {Record<string, unknown> & { type: string }} ServerMessage */

/** @typedef {Record<string, unknown> & { level: number, msg: string }} LogLine */

/**
 * A pino logger that keeps its lines (parsed) in memory instead of printing them.
 * @returns {{ logger: import('pino').Logger, logs: LogLine[] }}
 */
export function memoryLogger() {
  /** @type {LogLine[]} */
  const logs = [];
  const logger = pino({ level: 'debug' }, { write: (line) => void logs.push(JSON.parse(line)) });
  return { logger, logs };
}

/** pino's number for the warn level; errors are 50. */
export const WARN = 40;

/**
 * Starts a server with `flags` on a free port of 127.0.0.1; it is closed when the test ends.
 * Its log lines are kept in `logs`, not printed.
 * @param {TestContext} t
 * @param {string[]} [flags]
 * @param {Partial<import('../../server/app.js').RoomServerConfig>} [overrides]
 */
export async function startServer(t, flags = [], overrides = {}) {
  const { logger, logs } = memoryLogger();
  const room = createRoomServer({ ...parseConfig(flags, {}), logger, ...overrides });
  room.server.listen(0, '127.0.0.1');
  await once(room.server, 'listening');
  t.after(() => room.close());
  const address = /** @type {import('node:net').AddressInfo} */ (room.server.address());
  return { ...room, port: address.port, origin: `http://127.0.0.1:${address.port}`, logs };
}

/** A join secret for tests (at least 32 characters). */
export const JOIN_SECRET = 'test-join-secret-0123456789abcdef';

/**
 * A join token as a host site's backend signs it.
 * @param {Record<string, unknown>} claims e.g. `{ room, name, maxPeers }`
 * @param {{ secret?: string, expiresIn?: string | number | null, algorithm?: string }} [options]
 *   `expiresIn` null: no expiry at all
 */
export function signJoinToken(
  claims,
  { secret = JOIN_SECRET, expiresIn = '5m', algorithm = 'HS256' } = {},
) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: algorithm }).setIssuedAt();
  if (expiresIn !== null) jwt.setExpirationTime(expiresIn);
  return jwt.sign(new TextEncoder().encode(secret));
}

/**
 * A temporary directory, removed when the test ends.
 * @param {TestContext} t
 */
export function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-room-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh room ID, as the element makes them. */
export function newRoomId() {
  return crypto.randomUUID();
}

/** A PeerJS-style client token. */
function newToken() {
  return randomBytes(6).toString('hex');
}

/**
 * How a test client connects: its PeerServer token and key, the Origin it claims, the path, the
 * loopback address it connects from (127.0.0.2, …: another client address) and extra headers.
 * @typedef {{ token?: string, key?: string, origin?: string, path?: string, from?: string,
 *   headers?: Record<string, string> }} ConnectOptions
 */

/** Messages received and not yet read, and readers waiting for the next one. */
class Inbox {
  /** @type {ServerMessage[]} */
  unread = [];
  /** @type {((message: ServerMessage) => void)[]} */
  #waiting = [];

  /** @param {ServerMessage} message */
  put(message) {
    const waiter = this.#waiting.shift();
    if (waiter) waiter(message);
    else this.unread.push(message);
  }

  /**
   * @param {string} who
   * @param {number} timeoutMs
   * @returns {Promise<ServerMessage>}
   */
  next(who, timeoutMs) {
    const queued = this.unread.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      /** @param {ServerMessage} message */
      const waiter = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(new Error(`${who} received nothing within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.push(waiter);
    });
  }
}

/**
 * A WebSocket client of PeerServer with an inbox of the JSON messages it received, and one of the
 * room's notices (`ROOM` frames), which the tests of signalling alone never read.
 */
export class TestPeer {
  #inbox = new Inbox();
  #notices = new Inbox();

  /**
   * @param {WebSocket} socket
   * @param {string} id
   */
  constructor(socket, id) {
    this.socket = socket;
    this.id = id;
    /** @type {Promise<{ code: number, reason: string }>} */
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    socket.on('error', () => {});
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (message.type === 'ROOM') this.#notices.put(message.payload);
      else this.#inbox.put(message);
    });
  }

  /**
   * Opens a socket to `/peerjs/peerjs?key&id&token` without waiting for any message.
   * @param {number} port
   * @param {string} id
   * @param {ConnectOptions} [options]
   */
  static async connect(
    port,
    id,
    { token = newToken(), key = 'peerjs', origin, path = '/peerjs', from, headers } = {},
  ) {
    const query = new URLSearchParams({ key, id, token });
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}/peerjs?${query}`, {
      origin,
      localAddress: from,
      headers,
    });
    const peer = new TestPeer(socket, id);
    await once(socket, 'open');
    return peer;
  }

  /**
   * Connects and expects to be registered (an OPEN message, naming the room's peers when the ID
   * is in a room).
   * @param {number} port
   * @param {string} id
   * @param {ConnectOptions} [options]
   */
  static async join(port, id, options) {
    const peer = await TestPeer.connect(port, id, options);
    assert.equal((await peer.next()).type, 'OPEN');
    return peer;
  }

  /**
   * The next message received, waiting up to `timeoutMs` for it.
   * @param {number} [timeoutMs]
   * @returns {Promise<ServerMessage>}
   */
  next(timeoutMs = 2000) {
    return this.#inbox.next(this.id, timeoutMs);
  }

  /**
   * The payload of the next notice about the room, waiting up to `timeoutMs` for it.
   * @param {number} [timeoutMs]
   * @returns {Promise<Record<string, any>>}
   */
  nextNotice(timeoutMs = 2000) {
    return this.#notices.next(`${this.id} (notices)`, timeoutMs);
  }

  /**
   * The payload of the next notice of `event`, skipping others.
   * @param {string} event
   * @param {number} [timeoutMs]
   */
  async noticeOf(event, timeoutMs = 2000) {
    for (;;) {
      const notice = await this.nextNotice(timeoutMs);
      if (notice.event === event) return notice;
    }
  }

  /** Messages received and not yet read (notices apart). */
  get unread() {
    return [...this.#inbox.unread];
  }

  /** Notices received and not yet read. */
  get unreadNotices() {
    return [...this.#notices.unread];
  }

  /** @param {unknown} message an object to send as JSON, or a raw frame */
  send(message) {
    const isRaw = typeof message === 'string' || Buffer.isBuffer(message);
    this.socket.send(isRaw ? message : JSON.stringify(message));
  }

  /**
   * Waits until the server has handled everything this peer sent so far: asks for a peer that
   * is not there and waits for the EXPIRE. Another socket's deliveries get a moment to land.
   */
  async roundTrip() {
    const roomId = this.id.includes('_') ? this.id.slice(0, this.id.lastIndexOf('_')) : null;
    const absent = roomId ? makePeerId(roomId) : `absent${newToken()}`;
    this.send({ type: 'OFFER', dst: absent, payload: {} });
    assert.deepEqual(await this.next(), { type: 'EXPIRE', src: absent, dst: this.id });
    await delay(30);
  }

  close() {
    this.socket.close();
    return this.closed;
  }
}

/**
 * Retries `check` until it stops throwing, for state that changes after a socket closes.
 * @param {() => unknown} check
 * @param {number} [timeoutMs]
 */
export async function eventually(check, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(20);
    }
  }
}

/**
 * A GET from a chosen loopback address (fetch cannot pick one), with its status, headers and body.
 * @param {string} url
 * @param {{ from?: string, headers?: Record<string, string> }} [options]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: any }>}
 */
export function getFrom(url, { from = '127.0.0.1', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { localAddress: from, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body:
            text && /json/.test(response.headers['content-type'] ?? '') ? JSON.parse(text) : text,
        });
      });
    });
    request.on('error', reject);
  });
}

/**
 * GETs a path of the server and parses its JSON body as the answer the caller expects (`T`,
 * from the type it declares, e.g. `JsonAnswer<ErrorAnswer>`).
 * @template T
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<JsonAnswer<T>>}
 */
export async function getJson(url, init) {
  const response = await fetch(url, init);
  return { response, body: /** @type {T} */ (await response.json()) };
}

/**
 * @template T
 * @typedef {{ response: Response, body: T }} JsonAnswer
 */

/** @typedef {{ ok: boolean, peers: number, rooms: number, uptimeSeconds: number }} HealthAnswer */
/** @typedef {{ roomId: string, peers: string[], maxRoomSize: number }} PeersAnswer */
/** @typedef {{ error: string, message: string }} ErrorAnswer */
/** @typedef {import('../../server/ice.js').IceResponse} IceAnswer */
/** @typedef {{ version: number, peer: { path: string, key: string }, maxRoomSize: number, joinTokens: boolean }} ConfigAnswer */
