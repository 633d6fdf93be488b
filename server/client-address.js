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

/** @param {string} address an IPv4 address mapped into IPv6 reads as IPv4 */
function normalize(address) {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
