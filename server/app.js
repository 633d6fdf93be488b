import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { ExpressPeerServer } from 'peer';
import pino from 'pino';
import { roomOfPeerId } from '../src/room/room-id.js';
import { createApiRouter } from './api.js';
import { captureTimers } from './captured-timers.js';
import { createTokenChecker } from './join-tokens.js';
import { peerTag, roomTag } from './log-tags.js';
import { createMetrics } from './metrics.js';
import { SfuMoves } from './janus/sfu-moves.js';
import { SfuRooms } from './janus/sfu-rooms.js';
import { RoomMembers } from './room-members.js';
import { Moderation } from './moderation.js';
import { PeerIdOwners } from './peer-ids.js';
import { RoomHosts } from './room-hosts.js';
import { RoomRegistry } from './rooms.js';
import { createSignallingGuard } from './signalling-guard.js';
import { createStaticRouter } from './static-files.js';

/** PeerJS pings every 5 s; a client silent for this long is gone. */
const ALIVE_TIMEOUT_MS = 30_000;

/**
 * The configuration `createRoomServer` takes: `parseConfig`'s, plus what only code sets.
 * @typedef {Omit<import('./config.js').Config, 'help'> & {
 *   distDir?: string,
 *   demoDir?: string,
 *   logger?: import('pino').Logger,
 *   reclaimGraceMs?: number,
 *   knockTimeoutMs?: number,
 *   roomMemoryMs?: number,
 * }} RoomServerConfig
 */

/**
 * @typedef {object} RoomServer
 * @property {http.Server | https.Server} server not yet listening
 * @property {import('express').Express} app
 * @property {RoomRegistry} rooms the connected peers, per room
 * @property {http.Server | null} metricsServer with `--metrics-port`: serves /metrics, not yet listening
 * @property {import('pino').Logger} logger
 * @property {() => Promise<void>} close stops timers, drops every WebSocket and closes the server
 */

/**
 * Builds rtc-room-server on one http(s) server: PeerServer at `config.path`, the API under
 * `/api`, the widget bundle and the demo. Listening is left to the caller.
 * @param {RoomServerConfig} config
 * @returns {RoomServer}
 */
export function createRoomServer(config) {
  const {
    distDir = fileURLToPath(new URL('../dist/', import.meta.url)),
    demoDir = fileURLToPath(new URL('../demo/', import.meta.url)),
    logger = pino({ level: config.logLevel, base: { service: 'rtc-room-server' } }),
  } = config;
  const startedAt = Date.now();
  const app = express();
  const server = config.tls
    ? https.createServer({ cert: config.tls.cert, key: config.tls.key }, app)
    : http.createServer(app);
  const rooms = new RoomRegistry();
  const owners = new PeerIdOwners({ rooms, graceMs: config.reclaimGraceMs });
  const tokens = config.joinSecret ? createTokenChecker(config.joinSecret) : null;
  /** @type {import('cors').CorsOptions} */
  const corsOptions = { origin: config.allowedOrigins };
  const metrics = createMetrics({
    peers: () => rooms.peerCount,
    rooms: () => rooms.roomCount,
    sockets: () => guard.socketCount,
    reservedIds: () => owners.reservedCount,
  });
  const roomHosts = new RoomHosts();
  const members = new RoomMembers(rooms);
  const moderation = new Moderation({
    rooms,
    roomHosts,
    maxRoomSize: config.maxRoomSize,
    members,
    sfu:
      config.sfu &&
      new SfuMoves({
        sfuRooms: new SfuRooms({ ...config.sfu, maxRoomSize: config.maxRoomSize }),
        members,
        from: config.sfu.from,
        logger,
      }),
    metrics,
    logger,
    knockTimeoutMs: config.knockTimeoutMs,
    roomMemoryMs: config.roomMemoryMs,
  });
  /**
   * When each registered peer joined, for the leave line: whole seconds, a small integer the map
   * holds in place where a time in ms would be a number object of its own.
   * @type {Map<string, number>}
   */
  const joinedAt = new Map();
  const seconds = () => Math.round(performance.now() / 1000);

  app.disable('x-powered-by');
  app.use((_request, response, next) => {
    // Room IDs travel in page URLs; keep them out of Referer headers sent elsewhere.
    response.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  const guard = createSignallingGuard({
    rooms,
    owners,
    config,
    tokens,
    metrics,
    logger,
    moderation,
  });
  const peerServer = ExpressPeerServer(server, {
    path: '/',
    key: config.key,
    allow_discovery: false,
    alive_timeout: ALIVE_TIMEOUT_MS,
    concurrent_limit: config.limits.maxConnections,
    createWebSocketServer: guard.createWebSocketServer,
    corsOptions,
  });
  peerServer.on('connection', (client) => {
    rooms.add(client);
    if (!joinedAt.has(client.getId())) joinedAt.set(client.getId(), seconds());
  });
  peerServer.on('disconnect', (client) => {
    const id = client.getId();
    rooms.remove(client);
    if (rooms.isConnected(id)) return;
    moderation.departed(id);
    // Kept for its owner a while: a Wi-Fi blip must not hand the visitor's place to someone else.
    owners.release(client);
    const since = joinedAt.get(id) ?? seconds();
    joinedAt.delete(id);
    if (!logger.isLevelEnabled('info')) return;
    logger.info(
      {
        event: 'leave',
        room: roomTag(roomOfPeerId(id)),
        peer: peerTag(id),
        seconds: seconds() - since,
      },
      'peer left',
    );
  });
  // Without a listener, one socket error re-emitted here would take the process down.
  peerServer.on('error', (error) => logger.error({ event: 'error', err: error }, 'signalling'));
  // PeerServer starts its timers and WebSocket server when mounted.
  const peerTimers = captureTimers(() => app.use(config.path, peerServer));

  app.use(
    '/api',
    createApiRouter({ config, rooms, roomHosts, moderation, tokens, metrics, logger, startedAt }),
  );
  const metricsHandler = createMetricsHandler(metrics.registry, config.metrics.token);
  /** @type {http.Server | null} */
  let metricsServer = null;
  if (config.metrics.port === null) {
    app.get('/metrics', metricsHandler);
  } else {
    const metricsApp = express();
    metricsApp.disable('x-powered-by');
    metricsApp.get('/metrics', metricsHandler);
    metricsServer = http.createServer(metricsApp);
  }
  app.use(createStaticRouter({ demoDir, distDir }));
  app.use((_request, response) => {
    response.status(404).type('text/plain').send('Not found\n');
  });
  app.use(
    /** @type {import('express').ErrorRequestHandler} */
    (error, request, response, next) => {
      if (response.headersSent) {
        next(error);
        return;
      }
      const status = Number(error?.status ?? error?.statusCode);
      if (status >= 400 && status < 500) {
        response.status(status).json({ error: 'bad-request', message: http.STATUS_CODES[status] });
        return;
      }
      logger.error(
        { event: 'error', method: request.method, path: request.path, err: error },
        'request failed',
      );
      response.status(500).json({ error: 'internal', message: 'Internal server error.' });
    },
  );

  return {
    server,
    app,
    rooms,
    metricsServer,
    logger,
    async close() {
      peerTimers.stop();
      guard.close();
      owners.close();
      moderation.close();
      await Promise.all(
        [server, metricsServer].map(
          (each) =>
            new Promise((resolve) => {
              if (!each) return resolve(undefined);
              // Resolves even when the server never listened.
              each.close(() => resolve(undefined));
              // Keep-alive sockets of browsers that stay open would otherwise hold the close.
              each.closeAllConnections();
            }),
        ),
      );
    },
  };
}

/**
 * Serves the metrics in Prometheus text format, to holders of `token` when one is set.
 * @param {import('prom-client').Registry} registry
 * @param {string | null} token
 * @returns {import('express').RequestHandler}
 */
function createMetricsHandler(registry, token) {
  const expected = token === null ? null : Buffer.from(`Bearer ${token}`);
  return async (request, response, next) => {
    if (expected) {
      const given = Buffer.from(request.get('authorization') ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response
          .set('WWW-Authenticate', 'Bearer')
          .status(401)
          .type('text/plain')
          .send('Unauthorized\n');
        return;
      }
    }
    try {
      response
        .set('Cache-Control', 'no-store')
        .type(registry.contentType)
        .send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
