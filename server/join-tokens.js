import { errors, jwtVerify } from 'jose';
import { isRoomId } from '../src/room/room-id.js';

/** Longest join token read; a JWT with the claims we use is a few hundred characters. */
export const MAX_TOKEN_LENGTH = 4096;

/**
 * What a valid join token grants.
 * @typedef {object} JoinClaims
 * @property {string} room the room it admits to
 * @property {string} name the display name the host site vouches for ('' without one)
 * @property {number | null} maxPeers a lower room size for this room, if the site wants one
 * @property {'host' | 'guest'} role a host may moderate the room (`role: "host"`); guest by default
 * @property {boolean} locked the room starts locked when this token's holder finds it new
 * @property {string} subject who the token names, for a removal to hold: its `sub`, else the token itself
 * @property {number} expiresAt ms since the epoch
 */

/**
 * Why a token was refused: none given, expired, or anything else (forged, malformed, another
 * room). Only `token-expired` is told apart to the client, so that it asks for a fresh token.
 * @typedef {'token-missing' | 'token-expired' | 'token-invalid' | 'token-wrong-room'} TokenRefusal
 */

/** @typedef {{ ok: true, claims: JoinClaims } | { ok: false, reason: TokenRefusal }} TokenCheck */

/**
 * Checks join tokens signed (HS256) by the host site's backend with the server's join secret.
 * @param {string} secret
 */
export function createTokenChecker(secret) {
  const key = new TextEncoder().encode(secret);
  return {
    /**
     * @param {string | null | undefined} token
     * @param {string | null} roomId the room the request is about; null: whichever the token names
     * @returns {Promise<TokenCheck>}
     */
    async check(token, roomId) {
      if (!token) return { ok: false, reason: 'token-missing' };
      if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'token-invalid' };
      /** @type {import('jose').JWTPayload} */
      let payload;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          requiredClaims: ['exp', 'room'],
        }));
      } catch (error) {
        return {
          ok: false,
          reason: error instanceof errors.JWTExpired ? 'token-expired' : 'token-invalid',
        };
      }
      const { room, name, maxPeers, exp, role, locked, sub } = payload;
      if (!isRoomId(room)) return { ok: false, reason: 'token-invalid' };
      if (roomId !== null && roomId !== room) return { ok: false, reason: 'token-wrong-room' };
      return {
        ok: true,
        claims: {
          room,
          name: typeof name === 'string' ? name : '',
          maxPeers:
            Number.isInteger(maxPeers) && /** @type {number} */ (maxPeers) >= 1
              ? /** @type {number} */ (maxPeers)
              : null,
          role: role === 'host' ? 'host' : 'guest',
          locked: locked === true,
          subject: typeof sub === 'string' && sub !== '' ? `sub:${sub}` : `token:${token}`,
          expiresAt: /** @type {number} */ (exp) * 1000,
        },
      };
    },
  };
}

/**
 * Splits the PeerServer `token` a client registers with: `<client secret>`, then optionally
 * `.<join token>`, then optionally `~<host key>` (neither a JWT nor a secret holds a `~`). The
 * client secret (random, never a JWT) is what a peer ID is bound to, so a visitor whose join
 * token was renewed can still take its ID back.
 * @param {string} token
 * @returns {{ secret: string, joinToken: string | null, hostKey: string | null }}
 */
export function splitPeerToken(token) {
  const tilde = token.indexOf('~');
  const hostKey = tilde === -1 ? null : token.slice(tilde + 1);
  const rest = tilde === -1 ? token : token.slice(0, tilde);
  const dot = rest.indexOf('.');
  if (dot === -1) return { secret: rest, joinToken: null, hostKey };
  return { secret: rest.slice(0, dot), joinToken: rest.slice(dot + 1), hostKey };
}
