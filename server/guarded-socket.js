import { WebSocket } from 'ws';
import { PEER_ID_SEPARATOR, roomOfPeerId } from '../src/room/room-id.js';
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
 * What a socket that speaks keeps: its rate, its room (null: outside every room), and when it was
 * last told each absent peer is gone.
 * @typedef {{ bucket: TokenBucket, room: string | null, expiredAt: Map<string, number> }} Talk
 */

/**
 * The open sockets of one client address on one server, shared by those sockets, with what all
 * the server's sockets share.
 * @typedef {{ address: string, sockets: number, server: SocketContext }} AddressShare
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
 * than PeerServer puts in it. Its state lives in fields, not closures, and as few as will do: one
 * of these per visitor.
 */
export class GuardedSocket extends WebSocket {
  /** @type {AddressShare | null} the client address the socket counts against, and its server */
  share = null;
  /** @type {import('./room-states.js').Visitor | null} who moderation admitted on this socket */
  visitor = null;
  /**
   * @type {string | PeerClient | null} the peer ID PeerServer is registering (for its OPEN frame),
   * then PeerServer's client once registered
   */
  #peer = null;
  /** @type {Talk | null} made at the first frame: a socket that never speaks needs none */
  #talk = null;

  /**
   * Ties the socket to the address it counts against, and so to its server, until it closes.
   * @param {AddressShare} share
   */
  track(share) {
    this.share = share;
  }

  /**
   * PeerServer is about to register the socket as `id`: its OPEN frame will name the room.
   * @param {string} id
   */
  register(id) {
    this.#peer = id;
  }

  /**
   * PeerServer registered the socket as `client` (null: it refused): frames are delivered from now.
   * @param {PeerClient | null} client
   */
  attach(client) {
    this.#peer = client;
  }

  /**
   * @override
   * @param {any} data
   * @param {any} [options]
   * @param {any} [cb]
   */
  send(data, options, cb) {
    const id = this.#peer;
    if (typeof id === 'string' && data === OPEN_FRAME && this.share) {
      this.#peer = null;
      return super.send(openFrame(this.share.server.rooms, id), options, cb);
    }
    return super.send(data, options, cb);
  }

  /**
   * Sends a frame relayed from another peer. Frames relayed to one socket in one turn of the event
   * loop (those of a burst read at once) leave in one write, not in one system call each.
   * @param {string} frame
   */
  deliver(frame) {
    // ws keeps the TCP socket it writes to here; a corked socket writes when last uncorked.
    const { _socket: socket } = /** @type {{ _socket?: import('node:net').Socket }} */ (
      /** @type {unknown} */ (this)
    );
    if (socket && socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(uncork, socket);
    }
    this.send(frame);
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
    if (event === 'close') this.share?.server.onClose(this);
    return super.emit(event, ...args);
  }

  /**
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  #receive(data, isBinary) {
    const context = this.share?.server;
    const client = this.#peer;
    if (!context || typeof client === 'string' || this.readyState !== WebSocket.OPEN) return;
    // Not registered: a visitor at the door of a locked room may knock, and do nothing else.
    if (!client) return context.moderation.receiveWaiting(this, data, isBinary);
    const { rooms, metrics } = context;
    const talk = (this.#talk ??= {
      bucket: new TokenBucket({ ...RATE_LIMIT, overdraft: RATE_LIMIT.burst }),
      room: roomOfPeerId(client.getId()),
      expiredAt: new Map(),
    });
    const verdict = talk.bucket.take();
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
    const { room } = talk;
    if (!isInRoom(dst, room)) {
      metrics.dropped('other-room');
      return;
    }
    const peer = room === null ? rooms.clientOf(dst) : rooms.clientIn(room, dst);
    // Every socket of this server is one of these.
    const target = /** @type {GuardedSocket | null | undefined} */ (peer?.getSocket());
    if (target) {
      // PeerServer's relayed frame: the sender's ID as `src`, nothing but these four keys.
      target.deliver(JSON.stringify({ type, src: client.getId(), dst, payload }));
      metrics.relayed();
      return;
    }
    // PeerServer would queue it, without a cap, for a peer that may never come.
    metrics.dropped('absent');
    if (type !== 'LEAVE') this.#reportAbsent(talk.expiredAt, dst, client.getId());
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

/** @param {import('node:net').Socket} socket */
const uncork = (socket) => socket.uncork();

/**
 * Whether `peerId` is in `room`, as `roomOfPeerId` would say, without cutting a string out of it
 * at every frame: `room` is a sender's room (a room ID, or null: outside every room).
 * @param {string} peerId
 * @param {string | null} room
 */
function isInRoom(peerId, room) {
  if (room === null) return roomOfPeerId(peerId) === null;
  return peerId.lastIndexOf(PEER_ID_SEPARATOR) === room.length && peerId.startsWith(room);
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
