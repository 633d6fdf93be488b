import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { ExpressPeerServer } from 'peer';
import { createApiRouter } from './api.js';
import { captureTimers } from './captured-timers.js';
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
 *   log?: (line: string) => void,
 * }} RoomServerConfig
 */

/**
 * @typedef {object} RoomServer
 * @property {http.Server | https.Server} server not yet listening
 * @property {import('express').Express} app
 * @property {RoomRegistry} rooms the connected peers, per room
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
    log = (line) => console.error(`rtc-room-server: ${line}`),
  } = config;
  const startedAt = Date.now();
  const app = express();
  const server = config.tls
    ? https.createServer({ cert: config.tls.cert, key: config.tls.key }, app)
    : http.createServer(app);
  const rooms = new RoomRegistry();
  /** @type {import('cors').CorsOptions} */
  const corsOptions = { origin: config.allowedOrigins };

  app.disable('x-powered-by');
  app.use((_request, response, next) => {
    // Room IDs travel in page URLs; keep them out of Referer headers sent elsewhere.
    response.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  const guard = createSignallingGuard({
    rooms,
    maxRoomSize: config.maxRoomSize,
    allowedOrigins: config.allowedOrigins,
    log,
  });
  const peerServer = ExpressPeerServer(server, {
    path: '/',
    key: config.key,
    allow_discovery: false,
    alive_timeout: ALIVE_TIMEOUT_MS,
    createWebSocketServer: guard.createWebSocketServer,
    corsOptions,
  });
  peerServer.on('connection', (client) => rooms.add(client));
  peerServer.on('disconnect', (client) => rooms.remove(client));
  // Without a listener, one socket error re-emitted here would take the process down.
  peerServer.on('error', (error) => log(`signalling: ${error.message}`));
  // PeerServer starts its timers and WebSocket server when mounted.
  const peerTimers = captureTimers(() => app.use(config.path, peerServer));

  app.use('/api', createApiRouter({ config, rooms, corsOptions, startedAt }));
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
      log(`${request.method} ${request.path} failed: ${error?.stack ?? error}`);
      response.status(500).json({ error: 'internal', message: 'Internal server error.' });
    },
  );

  return {
    server,
    app,
    rooms,
    close() {
      peerTimers.stop();
      guard.close();
      return new Promise((resolve) => {
        // Resolves even when the server never listened.
        server.close(() => resolve());
        // Keep-alive sockets of browsers that stay open would otherwise hold the close.
        server.closeAllConnections();
      });
    },
  };
}
