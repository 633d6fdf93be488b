import { WebSocket, WebSocketServer } from 'ws';
import { PEER_ID_PATTERN, roomOfPeerId } from '../src/room/room-id.js';
import { clientAddress, forgetPeerAddress } from './client-address.js';
import { GuardedSocket, POLICY_VIOLATION, openFrame } from './guarded-socket.js';
import { splitPeerToken } from './join-tokens.js';
import { peerTag, roomTag } from './log-tags.js';
import { isOriginAllowed } from './origins.js';
import { RateLimiter } from './rate-limiter.js';

// What PeerServer lacks, added through its `createWebSocketServer` hook instead of a fork: a size
// cap, refusals before registration (limits per address and in all, foreign origin, bad ID, join
// token, an ID owned by someone else, full room), and sockets that check and deliver their own
// frames (malformed frames, cross-room signalling, offline queueing, floods: see guarded-socket.js).

/** Largest frame a client may send; an SDP offer with many candidates stays far below it. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * @typedef {object} GuardOptions
 * @property {import('./rooms.js').RoomRegistry} rooms
 * @property {import('./peer-ids.js').PeerIdOwners} owners
 * @property {Pick<import('./config.js').Config, 'maxRoomSize' | 'allowedOrigins' | 'allowNoOrigin' | 'trustProxy' | 'limits'>} config
 * @property {ReturnType<typeof import('./join-tokens.js').createTokenChecker> | null} tokens null: rooms are open
 * @property {import('./metrics.js').Metrics} metrics
 * @property {import('pino').Logger} logger
 * @property {import('./moderation.js').Moderation} moderation roles, the door, removals
 */

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
  /** @type {Map<string, import('./guarded-socket.js').AddressShare>} open sockets per client address */
  #perAddress = new Map();
  #registrations;
  /** @type {import('./guarded-socket.js').SocketContext} */
  #socketContext;

  /**
   * @param {import('ws').ServerOptions} options PeerServer's (path and http server)
   * @param {GuardOptions} guard
   */
  constructor(options, guard) {
    /** @type {import('ws').VerifyClientCallbackAsync<AdmittedRequest>} */
    const verifyClient = ({ req }, done) => {
      admit(req, guard).then(
        () => done(true),
        () => done(true),
      );
    };
    // Without join tokens there is nothing to check before the socket opens.
    super({
      ...options,
      maxPayload: MAX_PAYLOAD_BYTES,
      WebSocket: GuardedSocket,
      ...(guard.tokens ? { verifyClient } : {}),
    });
    this.#guard = guard;
    this.#registrations = new RateLimiter({ perMinute: guard.config.limits.registrationsPerIp });
    const { rooms, metrics, logger, moderation } = guard;
    const onClose = (/** @type {GuardedSocket} */ socket) => this.#uncount(socket);
    this.#socketContext = { rooms, metrics, logger, moderation, onClose };
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
    const { rooms, config, metrics, logger } = this.#guard;
    const address = clientAddress(request, config.trustProxy);
    // The address is kept once per address (its share); the socket need not keep a copy.
    forgetPeerAddress(request.socket);
    const share = this.#perAddress.get(address) ?? {
      address,
      sockets: 0,
      server: this.#socketContext,
    };
    share.sockets++;
    this.#perAddress.set(address, share);
    socket.track(share);
    const query = new URL(request.url ?? '', 'http://localhost').searchParams;
    const id = query.get('id') ?? '';
    const token = query.get('token') ?? '';
    const { secret } = splitPeerToken(token);
    const admission = request[ADMISSION];
    const claims = admission?.ok ? admission.claims : null;
    const refusal =
      this.#refusalFor(id, secret, address, request) ??
      this.#guard.moderation.admission(socket, { id, token, address, claims });
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
        if (socket.readyState === WebSocket.OPEN) this.#register(socket, request, id, address);
      });
      staleSocket.terminate();
      return true;
    }
    if (
      this.#guard.moderation.holdsAtDoor(socket, () => this.#register(socket, request, id, address))
    ) {
      return true;
    }
    return this.#register(socket, request, id, address);
  }

  /**
   * Hands the socket to PeerServer; the socket delivers its own frames once registered.
   * @param {GuardedSocket} socket
   * @param {AdmittedRequest} request
   * @param {string} id
   * @param {string} address the client address, for the log
   */
  #register(socket, request, id, address) {
    const { rooms, owners, logger, moderation } = this.#guard;
    const registered = rooms.clientOf(id);
    const staleSocket = registered?.getSocket();
    socket.register(id);
    const handled = super.emit('connection', socket, request);
    const client = rooms.clientOf(id);
    if (!client || client.getSocket() !== socket) {
      socket.attach(null);
      return handled;
    }
    socket.attach(client);
    // PeerServer re-attaches a known client's socket without sending OPEN (PeerJS's reconnect()
    // would wait forever); the old socket is then orphaned, so close it.
    if (registered) {
      if (socket.readyState === WebSocket.OPEN) socket.send(openFrame(rooms, id));
      if (staleSocket && staleSocket !== socket) staleSocket.terminate();
    }
    moderation.entered(socket, client, /** @type {GuardedSocket | undefined} */ (staleSocket));
    owners.bind(id);
    // Its tags are hashes: made only for a line that is written.
    if (!logger.isLevelEnabled('info')) return handled;
    logger.info(
      {
        event: 'join',
        room: roomTag(roomOfPeerId(id)),
        peer: peerTag(id),
        ip: address,
        reattached: Boolean(registered),
      },
      'peer joined',
    );
    return handled;
  }

  /**
   * A socket closed: one fewer for its address.
   * @param {GuardedSocket} socket
   */
  #uncount({ share }) {
    if (!share || --share.sockets > 0) return;
    this.#perAddress.delete(share.address);
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
    if ((this.#perAddress.get(address)?.sockets ?? 0) > limits.connectionsPerIp) {
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
