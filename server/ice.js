import { createHmac, randomBytes } from 'node:crypto';

/**
 * One entry of `RTCConfiguration.iceServers`, as the browser takes it.
 * @typedef {object} IceServer
 * @property {string | string[]} urls
 * @property {string} [username]
 * @property {string} [credential]
 */

/**
 * TURN through coturn's shared secret (`use-auth-secret`, `static-auth-secret`).
 * @typedef {object} TurnConfig
 * @property {string} secret coturn's static-auth-secret; never sent to anyone
 * @property {string[]} urls `turn:` / `turns:` URLs of the TURN server
 * @property {number} ttl how long a credential stays valid, in seconds
 */

/**
 * What `GET /api/ice` answers.
 * @typedef {object} IceResponse
 * @property {IceServer[]} iceServers
 * @property {number | null} expiresAt when the TURN credential expires (ms since the epoch), or null without TURN
 * @property {number | null} ttl the TURN credential's lifetime in seconds, or null without TURN
 */

/**
 * The TURN REST API password for `username`: base64(HMAC-SHA1(secret, username)).
 * @param {string} secret
 * @param {string} username
 * @returns {string}
 */
export function turnCredential(secret, username) {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/**
 * The ICE configuration for one request: the static servers, plus a fresh short-lived TURN
 * credential when a TURN secret is configured.
 * @param {{ iceServers: IceServer[], turn: TurnConfig | null }} config
 * @param {number} [now] ms since the epoch
 * @returns {IceResponse}
 */
export function iceResponse({ iceServers, turn }, now = Date.now()) {
  if (!turn) return { iceServers, expiresAt: null, ttl: null };
  const expiry = Math.floor(now / 1000) + turn.ttl;
  // coturn only reads the expiry before the colon; the random part keeps usernames distinct in its logs.
  const username = `${expiry}:${randomBytes(4).toString('hex')}`;
  const relay = { urls: turn.urls, username, credential: turnCredential(turn.secret, username) };
  return { iceServers: [...iceServers, relay], expiresAt: expiry * 1000, ttl: turn.ttl };
}
