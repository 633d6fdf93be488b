import cors from 'cors';
import express from 'express';
import { isRoomId } from '../src/room/room-id.js';
import { iceResponse } from './ice.js';

/** Version of the `/api/config` shape, for clients that outlive a server upgrade. */
const CONFIG_VERSION = 1;

/**
 * The JSON API under `/api`. It answers about one room at a time, given its ID: nothing lists
 * rooms, so only those who know a room's ID learn who is in it.
 * @param {object} deps
 * @param {Pick<import('./config.js').Config, 'path' | 'key' | 'maxRoomSize' | 'iceServers' | 'turn'>} deps.config
 * @param {import('./rooms.js').RoomRegistry} deps.rooms
 * @param {import('cors').CorsOptions} deps.corsOptions
 * @param {number} deps.startedAt ms since the epoch
 * @returns {import('express').Router}
 */
export function createApiRouter({ config, rooms, corsOptions, startedAt }) {
  const router = express.Router();
  router.use(cors(corsOptions));
  router.use((_request, response, next) => {
    // Membership and credentials change from one request to the next.
    response.set('Cache-Control', 'no-store');
    next();
  });

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
    });
  });

  router.get('/ice', (_request, response) => {
    response.json(iceResponse(config));
  });

  router.get('/rooms/:roomId/peers', (request, response) => {
    const { roomId } = request.params;
    if (!isRoomId(roomId)) {
      response.status(400).json({
        error: 'bad-room-id',
        message:
          'A room ID is 8 to 64 letters and digits, optionally in groups joined by single hyphens.',
      });
      return;
    }
    response.json({ roomId, peers: rooms.peersOf(roomId), maxRoomSize: config.maxRoomSize });
  });

  router.use((_request, response) => {
    response.status(404).json({ error: 'not-found', message: 'No such API route.' });
  });
  return router;
}
