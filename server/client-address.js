import { isIP } from 'node:net';

/**
 * The address a request came from. Behind `trustProxy` reverse proxies, that is the entry the
 * outermost of them added to X-Forwarded-For (each proxy appends the address it saw, so entries
 * further left were written by the client and prove nothing).
 * @param {import('node:http').IncomingMessage} request
 * @param {number} trustProxy how many proxies in front of the server to believe (0: none)
 * @returns {string}
 */
export function clientAddress(request, trustProxy) {
  const direct = normalize(request.socket.remoteAddress ?? '');
  if (trustProxy === 0) return direct;
  const header = request.headers['x-forwarded-for'];
  const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const entry = list[list.length - trustProxy];
  return entry && isIP(normalize(entry)) ? normalize(entry) : direct;
}

/**
 * Lets a socket that stays open drop what reading its peer's address left on it: Node keeps the
 * address, family and port it read on the socket (about 90 bytes), for a next read that the
 * guard never makes.
 * @param {import('node:net').Socket} socket
 */
export function forgetPeerAddress(socket) {
  const cached = /** @type {{ _peername?: unknown }} */ (/** @type {unknown} */ (socket));
  if (cached._peername) cached._peername = undefined;
}

/** @param {string} address an IPv4 address mapped into IPv6 reads as IPv4 */
function normalize(address) {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
