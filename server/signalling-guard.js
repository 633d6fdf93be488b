import { WebSocket, WebSocketServer } from 'ws';
import { PEER_ID_PATTERN, roomOfPeerId } from '../src/room/room-id.js';
import { clientAddress } from './client-address.js';
import { splitPeerToken } from './join-tokens.js';
import { peerTag, roomTag } from './log-tags.js';
import { isOriginAllowed } from './origins.js';
import { RateLimiter } from './rate-limiter.js';
import { parseSignalMessage } from './signal-message.js';
import { TokenBucket } from './token-bucket.js';

// What PeerServer lacks, added through its `createWebSocketServer` hook instead of a fork: a size
// cap, refusals before registration (limits per address and in all, foreign origin, bad ID, join
// token, an ID owned by someone else, full room), and a filter in front of its message handler
// (malformed frames, cross-room signalling, offline queueing, floods).

/** Largest frame a client may send; an SDP offer with many candidates stays far below it. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Per-socket message rate; PeerJS sends a heartbeat every 5 s and a few dozen messages per call. */
export const RATE_LIMIT = { perSecond: 100, burst: 300 };

/** How long one EXPIRE answers for further messages to the same absent peer. */
const EXPIRE_REPEAT_MS = 2000;

/** WebSocket close code for a policy violation. */
const POLICY_VIOLATION = 1008;

/**
 * @typedef {object} GuardOptions
 * @property {import('./rooms.js').RoomRegistry} rooms
 * @property {import('./peer-ids.js').PeerIdOwners} owners
 * @property {Pick<import('./config.js').Config, 'maxRoomSize' | 'allowedOrigins' | 'allowNoOrigin' | 'trustProxy' | 'limits'>} config
 * @property {ReturnType<typeof import('./join-tokens.js').createTokenChecker> | null} tokens null: rooms are open
 * @property {import('./metrics.js').Metrics} metrics
 * @property {import('pino').Logger} logger
 */

/** @typedef {(data: import('ws').RawData, isBinary: boolean) => boolean} MessageFilter */

/** What PeerServer sends a client it has just registered. */
const OPEN_FRAME = JSON.stringify({ type: 'OPEN' });

/**
 * A server-side socket whose messages reach listeners only through its filter, and whose OPEN
 * frame can carry more than PeerServer puts in it.
 */
class GuardedSocket extends WebSocket {
  /** @type {MessageFilter | null} */
  #filter = null;
  /** @type {(() => string) | null} */
  #openFrame = null;

  /**
   * Sends `frame()` instead of PeerServer's bare OPEN frame, once.
   * @param {() => string} frame
   */
  openWith(frame) {
    this.#openFrame = frame;
  }

  /**
   * @override
   * @param {any} data
   * @param {any[]} rest
   */
  send(data, ...rest) {
    const frame = this.#openFrame;
    if (frame && data === OPEN_FRAME) {
      this.#openFrame = null;
      return super.send(frame(), ...rest);
    }
    return super.send(data, ...rest);
  }

  /**
   * Lets messages through `filter`; until then every message is dropped.
   * @param {MessageFilter} filter
   */
  guardWith(filter) {
    this.#filter = filter;
  }

  /**
   * @override
   * @param {string | symbol} event
   * @param {any[]} args
   * @returns {boolean}
   */
  emit(event, ...args) {
    if (event !== 'message') return super.emit(event, ...args);
    const [data, isBinary] = args;
    return this.#filter?.(data, isBinary) ? super.emit(event, data, isBinary) : false;
  }
}

/** Where the admission check done during the upgrade is kept on the request. */
const ADMISSION = Symbol('rtc-room admission');

/**
 * @typedef {import('node:http').IncomingMessage & {
 *   [ADMISSION]?: import('./join-tokens.js').TokenCheck
 * }} AdmittedRequest
 */

/**
 * Checks the join token during the HTTP upgrade (verifying is asynchronous), so that the
 * socket's refusal or registration is decided at once when it opens.
 * @param {AdmittedRequest} request
 * @param {GuardOptions} guard
 */
async function admit(request, { tokens }) {
  if (!tokens) return;
  const query = new URL(request.url ?? '', 'http://localhost').searchParams;
  const { joinToken } = splitPeerToken(query.get('token') ?? '');
  const roomId = roomOfPeerId(query.get('id') ?? '');
  // A peer outside every room cannot hold a token for its room.
  request[ADMISSION] = roomId
    ? await tokens.check(joinToken, roomId)
    : { ok: false, reason: 'token-wrong-room' };
}

/** A WebSocketServer that refuses or guards each socket before PeerServer sees it. */
class GuardedWebSocketServer extends WebSocketServer {
  #guard;
  /** @type {Map<string, number>} open sockets per client address */
  #perAddress = new Map();
  #registrations;

  /**
   * @param {import('ws').ServerOptions} options PeerServer's (path and http server)
   * @param {GuardOptions} guard
   */
  constructor(options, guard) {
    super({
      ...options,
      maxPayload: MAX_PAYLOAD_BYTES,
      WebSocket: GuardedSocket,
      verifyClient: (
        /** @type {{ req: AdmittedRequest }} */ { req },
        /** @type {(ok: boolean) => void} */ done,
      ) => {
        admit(req, guard).then(
          () => done(true),
          () => done(true),
        );
      },
    });
    this.#guard = guard;
    this.#registrations = new RateLimiter({ perMinute: guard.config.limits.registrationsPerIp });
  }

  /**
   * @override
   * @param {string | symbol} event
   * @param {any[]} args
   * @returns {boolean}
   */
  emit(event, ...args) {
    if (event !== 'connection') return super.emit(event, ...args);
    const [socket, request] = /** @type {[GuardedSocket, AdmittedRequest]} */ (args);
    // A socket refused before PeerServer adds its listener must not crash the process on a bad frame.
    socket.on('error', () => {});
    const { rooms, config, metrics, logger } = this.#guard;
    const address = clientAddress(request, config.trustProxy);
    this.#count(socket, address);
    const query = new URL(request.url ?? '', 'http://localhost').searchParams;
    const id = query.get('id') ?? '';
    const token = query.get('token') ?? '';
    const { secret } = splitPeerToken(token);
    const refusal = this.#refusalFor(id, secret, address, request);
    if (refusal) {
      metrics.refused(refusal);
      logger.warn(
        { event: 'refusal', reason: refusal, ip: address, room: roomTag(roomOfPeerId(id)) },
        'refused a signalling connection',
      );
      const message =
        refusal === 'id-taken'
          ? { type: 'ID-TAKEN', payload: { msg: 'ID is taken' } }
          : { type: 'ERROR', payload: { msg: refusal } };
      socket.send(JSON.stringify(message));
      socket.close(POLICY_VIOLATION, refusal);
      return true;
    }
    const registered = rooms.clientOf(id);
    const staleSocket = registered?.getSocket();
    if (registered && registered.getToken() !== token && staleSocket) {
      // The owner is back with a renewed join token while its old socket lingers: PeerServer
      // would say ID-TAKEN, so end the old socket first and register once it is gone.
      staleSocket.once('close', () => {
        if (socket.readyState === WebSocket.OPEN) this.#register(socket, request, id, secret);
      });
      staleSocket.terminate();
      return true;
    }
    return this.#register(socket, request, id, secret);
  }

  /**
   * Hands the socket to PeerServer, behind the message filter.
   * @param {GuardedSocket} socket
   * @param {AdmittedRequest} request
   * @param {string} id
   * @param {string} secret
   */
  #register(socket, request, id, secret) {
    const { rooms, owners, logger, config } = this.#guard;
    const registered = rooms.clientOf(id);
    const staleSocket = registered?.getSocket();
    socket.guardWith(createMessageFilter(socket, id, this.#guard));
    socket.openWith(() => openFrame(rooms, id));
    const handled = super.emit('connection', socket, request);
    if (rooms.clientOf(id)?.getSocket() !== socket) return handled;
    // PeerServer re-attaches a known client's socket without sending OPEN (PeerJS's reconnect()
    // would wait forever); the old socket is then orphaned, so close it.
    if (registered) {
      if (socket.readyState === WebSocket.OPEN) socket.send(openFrame(rooms, id));
      if (staleSocket && staleSocket !== socket) staleSocket.terminate();
    }
    owners.bind(id, secret);
    logger.info(
      {
        event: 'join',
        room: roomTag(roomOfPeerId(id)),
        peer: peerTag(id),
        ip: clientAddress(request, config.trustProxy),
        reattached: Boolean(registered),
      },
      'peer joined',
    );
    return handled;
  }

  /**
   * Counts the open sockets of each address.
   * @param {WebSocket} socket
   * @param {string} address
   */
  #count(socket, address) {
    this.#perAddress.set(address, (this.#perAddress.get(address) ?? 0) + 1);
    socket.once('close', () => {
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    });
  }

  /**
   * Why a socket must be refused before registering, or null.
   * @param {string} id
   * @param {string} secret the part of the client's token its ID is bound to
   * @param {string} address
   * @param {AdmittedRequest} request
   * @returns {import('./metrics.js').RefusalReason | null}
   */
  #refusalFor(id, secret, address, request) {
    const { rooms, owners, config, tokens } = this.#guard;
    const { limits } = config;
    if (this.clients.size > limits.maxConnections) return 'server-full';
    if ((this.#perAddress.get(address) ?? 0) > limits.connectionsPerIp) {
      return 'too-many-connections';
    }
    if (this.#registrations.take(address) > 0) return 'too-many-registrations';
    if (!isOriginAllowed(request.headers, config)) return 'origin-not-allowed';
    if (!PEER_ID_PATTERN.test(id)) return 'invalid-id';
    /** @type {number | null} */
    let maxPeers = null;
    if (tokens) {
      const admission = request[ADMISSION];
      if (!admission || !secret) return 'unauthorized';
      if (!admission.ok)
        return admission.reason === 'token-expired' ? 'token-expired' : 'unauthorized';
      maxPeers = admission.claims.maxPeers;
    }
    if (!owners.mayRegister(id, secret)) return 'id-taken';
    const roomId = roomOfPeerId(id);
    const roomSize = Math.min(config.maxRoomSize, maxPeers ?? Infinity);
    if (roomId && !rooms.isConnected(id) && rooms.sizeOf(roomId) >= roomSize) return 'room-full';
    return null;
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
function openFrame(rooms, id) {
  const roomId = roomOfPeerId(id);
  if (!roomId) return OPEN_FRAME;
  const peers = rooms.peersOf(roomId);
  // PeerServer says OPEN before it reports the client registered: it is not in its room yet.
  if (!peers.includes(id)) peers.push(id);
  return JSON.stringify({ type: 'OPEN', payload: { peers } });
}

/**
 * Decides which messages from `senderId` PeerServer may handle.
 * @param {GuardedSocket} socket
 * @param {string} senderId
 * @param {GuardOptions} guard
 * @returns {MessageFilter}
 */
function createMessageFilter(socket, senderId, { rooms, metrics, logger }) {
  const senderRoom = roomOfPeerId(senderId);
  const bucket = new TokenBucket(RATE_LIMIT);
  /** @type {Map<string, number>} when each absent peer was last reported to the sender */
  const expiredAt = new Map();

  /** @param {string} dst */
  const reportAbsent = (dst) => {
    const now = performance.now();
    if (now - (expiredAt.get(dst) ?? -Infinity) < EXPIRE_REPEAT_MS) return;
    if (expiredAt.size >= RATE_LIMIT.burst) {
      for (const [id, at] of expiredAt) if (now - at >= EXPIRE_REPEAT_MS) expiredAt.delete(id);
    }
    expiredAt.set(dst, now);
    socket.send(JSON.stringify({ type: 'EXPIRE', src: dst, dst: senderId }));
  };

  return (data, isBinary) => {
    if (socket.readyState !== WebSocket.OPEN) return false;
    const verdict = bucket.take();
    if (verdict === 'overdrawn') {
      metrics.refused('flooding');
      logger.warn(
        {
          event: 'refusal',
          reason: 'flooding',
          room: roomTag(senderRoom),
          peer: peerTag(senderId),
        },
        'closed a socket that kept flooding past the rate limit',
      );
      socket.close(POLICY_VIOLATION, 'rate limit exceeded');
    }
    if (verdict !== 'granted') {
      metrics.dropped('rate');
      return false;
    }
    const message = parseSignalMessage(data, isBinary);
    if (!message) {
      metrics.dropped('malformed');
      return false;
    }
    if (message.type === 'HEARTBEAT') return true;
    if (roomOfPeerId(message.dst) !== senderRoom) {
      metrics.dropped('other-room');
      return false;
    }
    if (rooms.isConnected(message.dst)) {
      metrics.relayed();
      return true;
    }
    // PeerServer would queue it, without a cap, for a peer that may never come.
    metrics.dropped('absent');
    if (message.type !== 'LEAVE') reportAbsent(message.dst);
    return false;
  };
}

/**
 * The guard for one PeerServer: its `createWebSocketServer` hook, and a way to drop every socket.
 * @param {GuardOptions} guard
 */
export function createSignallingGuard(guard) {
  /** @type {GuardedWebSocketServer | null} */
  let server = null;
  return {
    /**
     * @param {import('ws').ServerOptions} serverOptions
     * @returns {WebSocketServer}
     */
    createWebSocketServer(serverOptions) {
      server = new GuardedWebSocketServer(serverOptions, guard);
      return server;
    },
    /** Open signalling sockets, registered or not. */
    get socketCount() {
      return server?.clients.size ?? 0;
    },
    /** Terminates every socket and detaches from the http server. */
    close() {
      if (!server) return;
      for (const socket of server.clients) socket.terminate();
      server.close();
    },
  };
}
