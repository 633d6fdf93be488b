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

/** The answer to a client's probing heartbeat: its socket still reaches us. */
const HEARTBEAT_FRAME = JSON.stringify({ type: 'HEARTBEAT' });

/** WebSocket close code for a policy violation. */
export const POLICY_VIOLATION = 1008;

/** What PeerServer sends a client it has just registered. */
export const OPEN_FRAME = JSON.stringify({ type: 'OPEN' });

/** @typedef {import('peer').IClient} PeerClient */

/**
 * What a socket that speaks keeps: its rate, and when it was last told each absent peer is gone.
 * @typedef {{ bucket: TokenBucket, expiredAt: Map<string, number> }} Talk
 */

/**
 * The open sockets of one client address, shared by those sockets.
 * @typedef {{ address: string, sockets: number }} AddressShare
 */

/**
 * What all the sockets of one server share.
 * @typedef {object} SocketContext
 * @property {import('./rooms.js').RoomRegistry} rooms
 * @property {import('./metrics.js').Metrics} metrics
 * @property {import('pino').Logger} logger
 * @property {(socket: GuardedSocket) => void} onClose
 * @property {import('./moderation.js').Moderation} moderation reads `ROOM` frames and knocks
 */

/**
 * A server-side socket whose frames the guard handles itself, and whose OPEN frame can carry more
 * than PeerServer puts in it. Its state lives in fields, not closures: one of these per visitor.
 */
export class GuardedSocket extends WebSocket {
  /** @type {SocketContext | null} */
  #context = null;
  /** @type {AddressShare | null} the client address the socket counts against */
  share = null;
  /** @type {string | null} the peer ID PeerServer is registering, for its OPEN frame */
  #openingId = null;
  /** @type {PeerClient | null} PeerServer's client, once registered */
  #client = null;
  /** @type {Talk | null} made at the first frame: a socket that never speaks needs none */
  #talk = null;

  /**
   * Ties the socket to its server and the address it counts against, until it closes.
   * @param {SocketContext} context
   * @param {AddressShare} share
   */
  track(context, share) {
    this.#context = context;
    this.share = share;
  }

  /**
   * PeerServer is about to register the socket as `id`: its OPEN frame will name the room.
   * @param {string} id
   */
  register(id) {
    this.#openingId = id;
  }

  /**
   * PeerServer registered the socket as `client` (null: it refused): frames are delivered from now.
   * @param {PeerClient | null} client
   */
  attach(client) {
    this.#openingId = null;
    if (!client) return;
    this.#client = client;
  }

  /**
   * @override
   * @param {any} data
   * @param {any[]} rest
   */
  send(data, ...rest) {
    const id = this.#openingId;
    if (id && data === OPEN_FRAME && this.#context) {
      this.#openingId = null;
      return super.send(openFrame(this.#context.rooms, id), ...rest);
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
    if (!context || this.readyState !== WebSocket.OPEN) return;
    // Not registered: a visitor at the door of a locked room may knock, and do nothing else.
    if (!client) return context.moderation.receiveWaiting(this, data, isBinary);
    const { rooms, metrics } = context;
    this.#talk ??= {
      bucket: new TokenBucket({ ...RATE_LIMIT, overdraft: RATE_LIMIT.burst }),
      expiredAt: new Map(),
    };
    const verdict = this.#talk.bucket.take();
    if (verdict === 'overdrawn') this.#closeForFlooding(context, client);
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
      if (message.probe) this.send(HEARTBEAT_FRAME);
      return;
    }
    if (message.type === 'ROOM') return context.moderation.receiveCommand(client, message.payload);
    const { type, dst, payload } = message;
    if (roomOfPeerId(dst) !== roomOfPeerId(client.getId())) {
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
    if (type !== 'LEAVE') this.#reportAbsent(this.#talk.expiredAt, dst, client.getId());
  }

  /**
   * @param {SocketContext} context
   * @param {PeerClient} client
   */
  #closeForFlooding({ metrics, logger }, client) {
    metrics.refused('flooding');
    logger.warn(
      {
        event: 'refusal',
        reason: 'flooding',
        room: roomTag(roomOfPeerId(client.getId())),
        peer: peerTag(client.getId()),
      },
      'closed a socket that kept flooding past the rate limit',
    );
    this.close(POLICY_VIOLATION, 'rate limit exceeded');
  }

  /**
   * @param {Map<string, number>} expiredAt when each absent peer was last reported to the sender
   * @param {string} dst
   * @param {string} senderId
   */
  #reportAbsent(expiredAt, dst, senderId) {
    const now = performance.now();
    if (now - (expiredAt.get(dst) ?? -Infinity) < EXPIRE_REPEAT_MS) return;
    if (expiredAt.size >= RATE_LIMIT.burst) {
      for (const [id, at] of expiredAt) if (now - at >= EXPIRE_REPEAT_MS) expiredAt.delete(id);
    }
    expiredAt.set(dst, now);
    this.send(JSON.stringify({ type: 'EXPIRE', src: dst, dst: senderId }));
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
