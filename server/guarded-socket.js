import { WebSocket } from 'ws';
import { roomOfPeerId } from '../src/room/room-id.js';
import { TokenBucket } from '../src/limits/token-bucket.js';
import { peerTag, roomTag } from './log-tags.js';
import { parseSignalMessage } from './signal-message.js';

// A signalling socket that reads its own frames: each is parsed once, checked (malformed, over the
// rate, another room, an absent peer) and delivered to the peer PeerServer holds for its `dst`.
// PeerServer's own message listener, which would parse the frame again, never runs; PeerServer
// keeps registration, heartbeat time-outs and clean-up.

/** Per-socket message rate; PeerJS sends a heartbeat every 5 s and a few dozen messages per call. */
export const RATE_LIMIT = { perSecond: 100, burst: 300 };

/** How long one EXPIRE answers for further messages to the same absent peer. */
const EXPIRE_REPEAT_MS = 2000;

/** WebSocket close code for a policy violation. */
export const POLICY_VIOLATION = 1008;

/** What PeerServer sends a client it has just registered. */
export const OPEN_FRAME = JSON.stringify({ type: 'OPEN' });

/** @typedef {import('peer').IClient} PeerClient */

/**
 * What all the sockets of one server share.
 * @typedef {object} SocketContext
 * @property {import('./rooms.js').RoomRegistry} rooms
 * @property {import('./metrics.js').Metrics} metrics
 * @property {import('pino').Logger} logger
 * @property {(socket: GuardedSocket) => void} onClose
 */

/**
 * A server-side socket whose frames the guard handles itself, and whose OPEN frame can carry more
 * than PeerServer puts in it. Its state lives in fields, not closures: one of these per visitor.
 */
export class GuardedSocket extends WebSocket {
  /** @type {SocketContext | null} */
  #context = null;
  /** The client address the socket counts against. */
  address = '';
  /** @type {string | null} the peer ID, once handed to PeerServer */
  #senderId = null;
  /** @type {string | null} */
  #senderRoom = null;
  /** @type {PeerClient | null} PeerServer's client, once registered */
  #client = null;
  /** @type {TokenBucket | null} */
  #bucket = null;
  /** @type {Map<string, number> | null} when each absent peer was last reported to the sender */
  #expiredAt = null;
  #isOpening = false;

  /**
   * Ties the socket to its server and the address it counts against, until it closes.
   * @param {SocketContext} context
   * @param {string} address
   */
  track(context, address) {
    this.#context = context;
    this.address = address;
  }

  /**
   * PeerServer is about to register the socket as `id`: its OPEN frame will name the room.
   * @param {string} id
   */
  register(id) {
    this.#senderId = id;
    this.#senderRoom = roomOfPeerId(id);
    this.#bucket = new TokenBucket({ ...RATE_LIMIT, overdraft: RATE_LIMIT.burst });
    this.#isOpening = true;
  }

  /**
   * PeerServer registered the socket as `client` (null: it refused): frames are delivered from now.
   * @param {PeerClient | null} client
   */
  attach(client) {
    this.#client = client;
    this.#isOpening = false;
  }

  /**
   * @override
   * @param {any} data
   * @param {any[]} rest
   */
  send(data, ...rest) {
    if (this.#isOpening && data === OPEN_FRAME && this.#context && this.#senderId) {
      this.#isOpening = false;
      return super.send(openFrame(this.#context.rooms, this.#senderId), ...rest);
    }
    return super.send(data, ...rest);
  }

  /**
   * @override
   * @param {string | symbol} event
   * @param {any[]} args
   * @returns {boolean}
   */
  emit(event, ...args) {
    if (event === 'message') {
      this.#receive(args[0], args[1]);
      return true;
    }
    // A socket refused before PeerServer adds its listener must not crash the process on a bad frame.
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    if (event === 'close') this.#context?.onClose(this);
    return super.emit(event, ...args);
  }

  /**
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  #receive(data, isBinary) {
    const context = this.#context;
    const client = this.#client;
    const bucket = this.#bucket;
    if (!context || !client || !bucket || this.readyState !== WebSocket.OPEN) return;
    const { rooms, metrics } = context;
    const verdict = bucket.take();
    if (verdict === 'overdrawn') this.#closeForFlooding(context);
    if (verdict !== 'granted') {
      metrics.dropped('rate');
      return;
    }
    const message = parseSignalMessage(data, isBinary);
    if (!message) {
      metrics.dropped('malformed');
      return;
    }
    if (message.type === 'HEARTBEAT') {
      // What PeerServer's heartbeat handler does: the client is alive.
      client.setLastPing(Date.now());
      return;
    }
    const { type, dst, payload } = message;
    if (roomOfPeerId(dst) !== this.#senderRoom) {
      metrics.dropped('other-room');
      return;
    }
    const target = rooms.clientOf(dst)?.getSocket();
    if (target) {
      // PeerServer's relayed frame: the sender's ID as `src`, nothing but these four keys.
      target.send(JSON.stringify({ type, src: client.getId(), dst, payload }));
      metrics.relayed();
      return;
    }
    // PeerServer would queue it, without a cap, for a peer that may never come.
    metrics.dropped('absent');
    if (type !== 'LEAVE') this.#reportAbsent(dst);
  }

  /** @param {SocketContext} context */
  #closeForFlooding({ metrics, logger }) {
    metrics.refused('flooding');
    logger.warn(
      {
        event: 'refusal',
        reason: 'flooding',
        room: roomTag(this.#senderRoom),
        peer: peerTag(this.#senderId ?? ''),
      },
      'closed a socket that kept flooding past the rate limit',
    );
    this.close(POLICY_VIOLATION, 'rate limit exceeded');
  }

  /** @param {string} dst */
  #reportAbsent(dst) {
    const now = performance.now();
    const expiredAt = (this.#expiredAt ??= new Map());
    if (now - (expiredAt.get(dst) ?? -Infinity) < EXPIRE_REPEAT_MS) return;
    if (expiredAt.size >= RATE_LIMIT.burst) {
      for (const [id, at] of expiredAt) if (now - at >= EXPIRE_REPEAT_MS) expiredAt.delete(id);
    }
    expiredAt.set(dst, now);
    this.send(JSON.stringify({ type: 'EXPIRE', src: dst, dst: this.#senderId }));
  }
}

/**
 * The OPEN frame for `id`, naming everyone in its room as it registers (itself included): the
 * client calls them at once, with no request of its own, and whoever registers after gets a list
 * that names it. PeerJS reads only the type; the element reads `payload.peers`.
 * @param {import('./rooms.js').RoomRegistry} rooms
 * @param {string} id
 * @returns {string}
 */
export function openFrame(rooms, id) {
  const roomId = roomOfPeerId(id);
  if (!roomId) return OPEN_FRAME;
  const peers = rooms.peersOf(roomId);
  // PeerServer says OPEN before it reports the client registered: it is not in its room yet.
  if (!peers.includes(id)) peers.push(id);
  return JSON.stringify({ type: 'OPEN', payload: { peers } });
}
