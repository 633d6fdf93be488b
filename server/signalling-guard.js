import { WebSocket, WebSocketServer } from 'ws';
import { PEER_ID_PATTERN, roomOfPeerId } from '../src/room/room-id.js';
import { parseSignalMessage } from './signal-message.js';
import { TokenBucket } from './token-bucket.js';

// What PeerServer lacks, added through its `createWebSocketServer` hook instead of a fork: a size
// cap, refusals before registration (bad ID, full room, foreign origin), and a filter in front of
// its message handler (malformed frames, cross-room signalling, offline queueing, floods).

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
 * @property {number} maxRoomSize
 * @property {'*' | string[]} allowedOrigins
 * @property {(line: string) => void} log
 */

/** @typedef {(data: import('ws').RawData, isBinary: boolean) => boolean} MessageFilter */

/** A server-side socket whose messages reach listeners only through its filter. */
class GuardedSocket extends WebSocket {
  /** @type {MessageFilter | null} */
  #filter = null;

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

/** A WebSocketServer that refuses or guards each socket before PeerServer sees it. */
class GuardedWebSocketServer extends WebSocketServer {
  #guard;

  /**
   * @param {import('ws').ServerOptions} options PeerServer's (path and http server)
   * @param {GuardOptions} guard
   */
  constructor(options, guard) {
    super({ ...options, maxPayload: MAX_PAYLOAD_BYTES, WebSocket: GuardedSocket });
    this.#guard = guard;
  }

  /**
   * @override
   * @param {string | symbol} event
   * @param {any[]} args
   * @returns {boolean}
   */
  emit(event, ...args) {
    if (event !== 'connection') return super.emit(event, ...args);
    const [socket, request] = /** @type {[GuardedSocket, import('node:http').IncomingMessage]} */ (
      args
    );
    // A socket refused before PeerServer adds its listener must not crash the process on a bad frame.
    socket.on('error', () => {});
    const { rooms } = this.#guard;
    const query = new URL(request.url ?? '', 'http://localhost').searchParams;
    const id = query.get('id') ?? '';
    const refusal = this.#refusalFor(id, request.headers.origin);
    if (refusal) {
      socket.send(JSON.stringify({ type: 'ERROR', payload: { msg: refusal } }));
      socket.close(POLICY_VIOLATION, refusal);
      return true;
    }
    const registered = rooms.clientOf(id);
    const staleSocket =
      registered?.getToken() === query.get('token') ? registered.getSocket() : null;
    socket.guardWith(createMessageFilter(socket, id, this.#guard));
    const handled = super.emit(event, socket, request);
    // PeerServer re-attaches a known client's socket without sending OPEN (PeerJS's reconnect()
    // would wait forever); the old socket is then orphaned, so close it.
    if (registered && rooms.clientOf(id)?.getSocket() === socket) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'OPEN' }));
      if (staleSocket && staleSocket !== socket) staleSocket.terminate();
    }
    return handled;
  }

  /**
   * Why a socket must be refused before registering, or null.
   * @param {string} id
   * @param {string | undefined} origin
   * @returns {'origin-not-allowed' | 'invalid-id' | 'room-full' | null}
   */
  #refusalFor(id, origin) {
    const { rooms, maxRoomSize, allowedOrigins } = this.#guard;
    // No Origin header means no browser; any other client could forge one anyway.
    if (allowedOrigins !== '*' && origin !== undefined && !allowedOrigins.includes(origin)) {
      return 'origin-not-allowed';
    }
    if (!PEER_ID_PATTERN.test(id)) return 'invalid-id';
    const roomId = roomOfPeerId(id);
    if (roomId && !rooms.isConnected(id) && rooms.sizeOf(roomId) >= maxRoomSize) return 'room-full';
    return null;
  }
}

/**
 * Decides which messages from `senderId` PeerServer may handle.
 * @param {GuardedSocket} socket
 * @param {string} senderId
 * @param {GuardOptions} guard
 * @returns {MessageFilter}
 */
function createMessageFilter(socket, senderId, { rooms, log }) {
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
      log(`closed the socket of ${senderId}: it kept flooding past the rate limit`);
      socket.close(POLICY_VIOLATION, 'rate limit exceeded');
    }
    if (verdict !== 'granted') return false;
    const message = parseSignalMessage(data, isBinary);
    if (!message) return false;
    if (message.type === 'HEARTBEAT') return true;
    if (roomOfPeerId(message.dst) !== senderRoom) return false;
    if (rooms.isConnected(message.dst)) return true;
    // PeerServer would queue it, without a cap, for a peer that may never come.
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
    /** Terminates every socket and detaches from the http server. */
    close() {
      if (!server) return;
      for (const socket of server.clients) socket.terminate();
      server.close();
    },
  };
}
