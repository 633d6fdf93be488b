import cors from 'cors';
import express from 'express';
import { isRoomId } from '../src/room/room-id.js';
import { clientAddress } from './client-address.js';
import { iceResponse } from './ice.js';
import { roomTag } from './log-tags.js';
import { isOriginAllowed } from './origins.js';
import { RateLimiter } from './rate-limiter.js';

/** Version of the `/api/config` shape, for clients that outlive a server upgrade. */
const CONFIG_VERSION = 1;

/** How long a browser may reuse a CORS preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE = 600;

/**
 * The JSON API under `/api`. It answers about one room at a time, given its ID: nothing lists
 * rooms, so only those who know a room's ID learn who is in it. With a join secret, what is
 * about a room (its peers, ICE credentials) also needs a join token for it.
 * @param {object} deps
 * @param {Pick<import('./config.js').Config, 'path' | 'key' | 'maxRoomSize' | 'iceServers' | 'turn' | 'allowedOrigins' | 'allowNoOrigin' | 'trustProxy' | 'limits'>} deps.config
 * @param {import('./rooms.js').RoomRegistry} deps.rooms
 * @param {import('./room-hosts.js').RoomHosts} deps.roomHosts rooms made with `POST /api/rooms`
 * @param {import('./moderation.js').Moderation} deps.moderation
 * @param {ReturnType<typeof import('./join-tokens.js').createTokenChecker> | null} deps.tokens
 * @param {import('./metrics.js').Metrics} deps.metrics
 * @param {import('pino').Logger} deps.logger
 * @param {number} deps.startedAt ms since the epoch
 * @returns {import('express').Router}
 */
export function createApiRouter({
  config,
  rooms,
  roomHosts,
  moderation,
  tokens,
  metrics,
  logger,
  startedAt,
}) {
  const router = express.Router();
  // Ten seconds' worth at once: a room of visitors joining together, not a minute's scan.
  const limiter = new RateLimiter({
    perMinute: config.limits.apiRequestsPerIp,
    burst: Math.max(1, Math.ceil(config.limits.apiRequestsPerIp / 6)),
  });

  /**
   * Answers a refused request, counts and logs it.
   * @param {import('express').Request} request
   * @param {import('express').Response} response
   * @param {number} status
   * @param {import('./metrics.js').RefusalReason} reason
   * @param {string} message
   */
  const refuse = (request, response, status, reason, message) => {
    metrics.refused(reason);
    const room = request.params?.roomId ?? request.query.room;
    const line = {
      event: 'refusal',
      reason,
      ip: clientAddress(request, config.trustProxy),
      room: isRoomId(room) ? roomTag(room) : null,
    };
    // Rate-limited calls come in floods: counted always, logged only when debugging.
    if (reason === 'rate-limited') logger.debug(line, 'refused an API call');
    else logger.warn({ ...line, path: request.route?.path ?? request.path }, 'refused an API call');
    response.status(status).json({ error: reason, message });
  };

  router.use((request, response, next) => {
    // Membership and credentials change from one request to the next.
    response.set('Cache-Control', 'no-store');
    const waitMs = limiter.take(clientAddress(request, config.trustProxy));
    if (waitMs === 0) {
      next();
      return;
    }
    response.set('Retry-After', String(Math.ceil(waitMs / 1000)));
    refuse(request, response, 429, 'rate-limited', 'Too many requests; retry later.');
  });

  router.use((request, response, next) => {
    // Health checks come from load balancers, which send no Origin; preflights reveal nothing.
    if (request.method === 'OPTIONS' || request.path === '/health') {
      next();
      return;
    }
    if (isOriginAllowed(request.headers, config)) {
      next();
      return;
    }
    // Readable by the refused page, so that it can say why instead of "unreachable".
    const { origin } = request.headers;
    if (origin) response.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    refuse(request, response, 403, 'origin-not-allowed', 'This origin may not use this server.');
  });

  // Origins were checked above; CORS only has to let the allowed ones read the answers.
  router.use(
    cors({
      origin: config.allowedOrigins === '*' ? '*' : true,
      maxAge: PREFLIGHT_MAX_AGE,
    }),
  );

  /**
   * Lets the request through when it carries a join token for `roomId` (or any room when null):
   * its claims, or null without join tokens; false when refused (and answered).
   * @param {import('express').Request} request
   * @param {import('express').Response} response
   * @param {string | null} roomId
   * @returns {Promise<import('./join-tokens.js').JoinClaims | null | false>}
   */
  const admission = async (request, response, roomId) => {
    if (!tokens) return null;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '')?.[1] ?? null;
    const result = await tokens.check(bearer, roomId);
    if (result.ok) return result.claims;
    response.set('WWW-Authenticate', 'Bearer');
    if (result.reason === 'token-expired') {
      refuse(request, response, 401, 'token-expired', 'The join token has expired.');
    } else {
      refuse(request, response, 401, 'unauthorized', 'A valid join token for this room is needed.');
    }
    return false;
  };

  router.get('/health', (_request, response) => {
    response.json({
      ok: true,
      peers: rooms.peerCount,
      rooms: rooms.roomCount,
      uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000),
    });
  });

  router.get('/config', (_request, response) => {
    response.json({
      version: CONFIG_VERSION,
      peer: { path: config.path, key: config.key },
      maxRoomSize: config.maxRoomSize,
      joinTokens: tokens !== null,
    });
  });

  router.get(
    '/ice',
    handleAsync(async (request, response) => {
      const room = typeof request.query.room === 'string' ? request.query.room : null;
      if (room !== null && !isRoomId(room)) {
        badRoomId(response);
        return;
      }
      const claims = await admission(request, response, room);
      if (claims === false) return;
      // Someone removed from a room gets no more TURN credentials with that room's token.
      if (claims && moderation.isRemovedSubject(claims.room, claims.subject)) {
        refuse(request, response, 403, 'removed', 'You were removed from this room.');
        return;
      }
      response.json(iceResponse(config));
    }),
  );

  router.get(
    '/rooms/:roomId/peers',
    handleAsync(async (request, response) => {
      const { roomId } = request.params;
      if (!isRoomId(roomId)) {
        badRoomId(response);
        return;
      }
      if ((await admission(request, response, roomId)) === false) return;
      // A locked room's members are listed to its members only: a knocker learns nobody's ID.
      if (!moderation.mayListPeers(roomId, request.get('x-rtc-peer'))) {
        refuse(request, response, 403, 'room-locked', 'This room is locked.');
        return;
      }
      response.json({ roomId, peers: rooms.peersOf(roomId), maxRoomSize: config.maxRoomSize });
    }),
  );

  router.post('/rooms', express.json({ limit: '1kb' }), (request, response) => {
    // With join tokens the site's backend says who hosts a room, in the token.
    if (tokens) {
      refuse(
        request,
        response,
        403,
        'tokens-required',
        'Rooms on this server come with join tokens.',
      );
      return;
    }
    const locked = request.body?.locked === true;
    const created = roomHosts.create({ locked });
    if (!created) {
      response.status(503).json({ error: 'server-full', message: 'Too many rooms; retry later.' });
      return;
    }
    response.status(201).json({ ...created, locked });
  });

  router.use((_request, response) => {
    response.status(404).json({ error: 'not-found', message: 'No such API route.' });
  });
  return router;
}

/** @param {import('express').Response} response */
function badRoomId(response) {
  response.status(400).json({
    error: 'bad-room-id',
    message:
      'A room ID is 8 to 64 letters and digits, optionally in groups joined by single hyphens.',
  });
}

/**
 * An async route whose rejection reaches Express's error handler (Express 4 drops it otherwise).
 * @param {(request: import('express').Request, response: import('express').Response) => Promise<void>} route
 * @returns {import('express').RequestHandler}
 */
function handleAsync(route) {
  return (request, response, next) => {
    route(request, response).catch(next);
  };
}
