import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { WebSocket } from 'ws';

// The few requests of Janus's WebSocket API that the server makes itself: one session, one
// VideoRoom handle, and plugin messages on it. Each request carries the API secret; a reply is
// matched to its request by transaction (an `ack` only says Janus has it).

/** Janus ends a session it has heard nothing from for 60 s by default. */
const KEEPALIVE_MS = 25_000;

/** How long a request may wait for its reply before it fails. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A Janus reply that says no, with Janus's code and reason. */
export class JanusError extends Error {
  /**
   * @param {string} message
   * @param {number} code Janus's (or the VideoRoom plugin's) error code
   */
  constructor(message, code) {
    super(message);
    this.name = 'JanusError';
    this.code = code;
  }
}

/**
 * @typedef {object} JanusReply
 * @property {string} janus `success`, `event`, `error`, …
 * @property {{ id?: number } & Record<string, unknown>} [data]
 * @property {{ plugin: string, data: Record<string, unknown> }} [plugindata]
 * @property {{ code: number, reason: string }} [error]
 */

/** One connection to one Janus instance, with a session and a VideoRoom handle on it. */
export class JanusClient {
  #socket;
  #apiSecret;
  /** @type {Map<string, { resolve: (reply: JanusReply) => void, reject: (error: Error) => void, timer: NodeJS.Timeout }>} */
  #pending = new Map();
  #session = 0;
  #handle = 0;
  /** @type {NodeJS.Timeout | undefined} */
  #keepalive;
  /** Resolves when the connection closes, for whatever reason. */
  closed;

  /**
   * @param {WebSocket} socket open
   * @param {string} apiSecret
   */
  constructor(socket, apiSecret) {
    this.#socket = socket;
    this.#apiSecret = apiSecret;
    socket.on('message', (data) => this.#receive(String(data)));
    // A reset connection says so here, then closes: `closed` is what tells the rooms.
    socket.on('error', () => {});
    this.closed = once(socket, 'close').then(() => {
      clearInterval(this.#keepalive);
      for (const { reject, timer } of this.#pending.values()) {
        clearTimeout(timer);
        reject(new JanusError('the connection to Janus closed', 0));
      }
      this.#pending.clear();
    });
  }

  /**
   * Connects, creates a session and attaches the VideoRoom plugin.
   * @param {string} url `ws://…` or `wss://…`
   * @param {string} apiSecret
   */
  static async connect(url, apiSecret) {
    const socket = new WebSocket(url, 'janus-protocol');
    await Promise.race([
      once(socket, 'open'),
      once(socket, 'error').then(([error]) => Promise.reject(error)),
    ]);
    const client = new JanusClient(socket, apiSecret);
    try {
      client.#session = client.#idOf(await client.#request({ janus: 'create' }));
      const attached = await client.#request({
        janus: 'attach',
        session_id: client.#session,
        plugin: 'janus.plugin.videoroom',
      });
      client.#handle = client.#idOf(attached);
    } catch (error) {
      socket.terminate();
      throw error;
    }
    client.#keepalive = setInterval(() => {
      client.#request({ janus: 'keepalive', session_id: client.#session }).catch(() => {});
    }, KEEPALIVE_MS);
    client.#keepalive.unref();
    return client;
  }

  /**
   * A VideoRoom request; resolves with the plugin's answer, rejects with its error.
   * @param {Record<string, unknown>} body
   * @returns {Promise<Record<string, unknown>>}
   */
  async videoRoom(body) {
    const reply = await this.#request({
      janus: 'message',
      session_id: this.#session,
      handle_id: this.#handle,
      body,
    });
    const data = reply.plugindata?.data;
    if (!data) throw new JanusError('Janus answered without the plugin’s data', 0);
    if (typeof data.error_code === 'number') {
      throw new JanusError(String(data.error ?? 'VideoRoom error'), data.error_code);
    }
    return data;
  }

  close() {
    this.#socket.close();
  }

  /** @param {JanusReply} reply */
  #idOf(reply) {
    const id = reply.data?.id;
    if (typeof id !== 'number') throw new JanusError('Janus answered without an ID', 0);
    return id;
  }

  /**
   * @param {Record<string, unknown>} message
   * @returns {Promise<JanusReply>}
   */
  #request(message) {
    const transaction = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(transaction);
        reject(new JanusError(`Janus did not answer ${message.janus} in time`, 0));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(transaction, { resolve, reject, timer });
      this.#socket.send(JSON.stringify({ ...message, transaction, apisecret: this.#apiSecret }));
    });
  }

  /** @param {string} text */
  #receive(text) {
    /** @type {JanusReply & { transaction?: string }} */
    let reply;
    try {
      reply = JSON.parse(text);
    } catch {
      return;
    }
    if (reply.janus === 'ack' || typeof reply.transaction !== 'string') return;
    const pending = this.#pending.get(reply.transaction);
    if (!pending) return;
    this.#pending.delete(reply.transaction);
    clearTimeout(pending.timer);
    if (reply.janus === 'error') {
      pending.reject(new JanusError(reply.error?.reason ?? 'Janus error', reply.error?.code ?? 0));
    } else {
      pending.resolve(reply);
    }
  }
}
