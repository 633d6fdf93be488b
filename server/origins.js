/**
 * Whether a browser request may use the server, given `--allowed-origins`. Browsers always send
 * Origin on WebSockets and cross-origin calls; a same-origin fetch may carry none but says
 * `Sec-Fetch-Site: same-origin`. No Origin at all means no browser: refused unless
 * `--allow-no-origin` (native clients), since such a client could write any Origin anyway.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {{ allowedOrigins: '*' | string[], allowNoOrigin: boolean }} config
 * @returns {boolean}
 */
export function isOriginAllowed(headers, { allowedOrigins, allowNoOrigin }) {
  if (allowedOrigins === '*') return true;
  const { origin, host } = headers;
  if (origin === undefined) return headers['sec-fetch-site'] === 'same-origin' || allowNoOrigin;
  // The server's own pages (the demo) are always welcome.
  if (host && URL.canParse(origin) && new URL(origin).host === host) return true;
  return allowedOrigins.includes(origin);
}
