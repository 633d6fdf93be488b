import { checkIceServers } from '../src/config/ice-servers.js';

// How one flag's or variable's text becomes a value, with the message that names it when it
// cannot: the parsers the option table (options.js) points to.

/** A configuration mistake, with a message naming the flag or variable at fault. */
export class ConfigError extends Error {
  /** @override */
  name = 'ConfigError';
}

/** @typedef {{ value: string, source: string }} RawValue a value and the flag or variable it came from */

/** @typedef {'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent'} LogLevel */

/** @typedef {import('./ice.js').IceServer} IceServer */

export const LOG_LEVELS = /** @type {const} */ ([
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'silent',
]);

/** Shortest join secret accepted: HS256 wants a key of at least 256 bits. */
export const MIN_JOIN_SECRET_LENGTH = 32;

/**
 * A whole number from `min` to `max`.
 * @param {number} min
 * @param {number} max
 * @returns {(raw: RawValue) => number}
 */
export const integer =
  (min, max) =>
  ({ value, source }) => {
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= min && number <= max)) {
      throw new ConfigError(
        `${source} must be a whole number from ${min} to ${max}, not "${value}"`,
      );
    }
    return number;
  };

/** @param {RawValue} raw */
export const text = ({ value }) => value;

/** @param {RawValue} raw */
export function parseBoolean({ value, source }) {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new ConfigError(`${source} must be true or false, not "${value}"`);
}

/** @param {RawValue} raw */
export function parseTrustProxy(raw) {
  if (/^(true|yes)$/i.test(raw.value)) return 1;
  if (/^(false|no)$/i.test(raw.value)) return 0;
  return integer(0, 10)(raw);
}

/** @param {RawValue} raw */
export function parseJoinSecret({ value, source }) {
  if (value.length < MIN_JOIN_SECRET_LENGTH) {
    throw new ConfigError(
      `${source} must be at least ${MIN_JOIN_SECRET_LENGTH} characters (a long random string)`,
    );
  }
  return value;
}

/**
 * @param {RawValue} raw
 * @returns {LogLevel}
 */
export function parseLogLevel({ value, source }) {
  const level = LOG_LEVELS.find((known) => known === value);
  if (!level) throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** @param {RawValue} raw */
export function parsePath({ value, source }) {
  const path = value.length > 1 ? value.replace(/\/$/, '') : value;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
    throw new ConfigError(`${source} must be a URL path such as /peerjs, not "${value}"`);
  }
  if (/^\/(api|rtc-room\.js)(\/|$)/i.test(path)) {
    throw new ConfigError(`${source} must not be ${path}: the server uses it`);
  }
  return path;
}

/** @param {RawValue} raw */
export function parseKey({ value, source }) {
  // PeerJS puts the key in URL paths and queries.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new ConfigError(`${source} must be 1 to 64 letters, digits, ".", "_" or "-"`);
  }
  return value;
}

/**
 * @param {RawValue} raw
 * @returns {'*' | string[]}
 */
export function parseOrigins({ value, source }) {
  if (value.trim() === '*') return '*';
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError(`${source} lists no origin`);
  return entries.map((entry) => {
    if (entry === '*') throw new ConfigError(`${source}: "*" must stand alone`);
    const origin = URL.canParse(entry) ? new URL(entry) : null;
    // An origin is scheme, host and port: nothing after them but an optional "/".
    if (!origin || !/^https?:$/.test(origin.protocol) || origin.href !== `${origin.origin}/`) {
      throw new ConfigError(`${source}: "${entry}" is not an origin like https://example.com`);
    }
    return origin.origin;
  });
}

/**
 * `--ice` takes one word.
 * @param {RawValue} raw
 * @returns {'none'}
 */
export function parseIceChoice({ value, source }) {
  if (value !== 'none') throw new ConfigError(`${source} takes only "none", not "${value}"`);
  return value;
}

/**
 * @param {RawValue} raw
 * @returns {IceServer[]}
 */
export function parseIceServers({ value, source }) {
  const checked = checkIceServers(value);
  if (checked.ok) {
    return checked.value.map(({ urls, username, credential }) => ({
      urls,
      ...(username === undefined ? {} : { username }),
      ...(credential === undefined ? {} : { credential }),
    }));
  }
  const { problem } = checked;
  const entry = 'index' in problem ? `entry ${problem.index}` : '';
  const reasons = {
    'not-json': 'it is not valid JSON',
    'not-array': 'it is not an array',
    'too-many': `it has more than ${'max' in problem ? problem.max : 0} entries`,
    'not-object': `${entry} is not an object`,
    'no-urls': `${entry} has no "urls"`,
    'bad-url': `${entry}: ${JSON.stringify('url' in problem ? problem.url : '')} is not a stun:, stuns:, turn: or turns: URL`,
    'bad-username': `${entry}: "username" is not a string`,
    'bad-credential': `${entry}: "credential" is not a string`,
    'turn-without-credentials': `${entry} is a TURN server without "username" and "credential"`,
  };
  throw new ConfigError(
    `${source} must be a JSON array of RTCIceServer objects: ${reasons[problem.kind]}`,
  );
}

/**
 * A comma-separated list of URLs, each checked by `isUrl`.
 * @param {RawValue} raw
 * @param {(url: string) => boolean} isUrl
 * @param {string} kind what each must be, for the error
 * @returns {string[]}
 */
function urlList({ value, source }, isUrl, kind) {
  const urls = value
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  if (urls.length === 0) throw new ConfigError(`${source} lists no URL`);
  const bad = urls.find((url) => !isUrl(url));
  if (bad !== undefined) throw new ConfigError(`${source}: "${bad}" is not ${kind}`);
  return urls;
}

/**
 * A comma-separated list of turn: or turns: URLs.
 * @param {RawValue} raw
 * @returns {string[]}
 */
export function parseTurnUrls(raw) {
  return urlList(raw, (url) => /^turns?:\S+$/.test(url), 'a turn: or turns: URL');
}

/**
 * A comma-separated list of ws: or wss: URLs (Janus instances), each once.
 * @param {RawValue} raw
 * @returns {string[]}
 */
export function parseJanusUrls(raw) {
  const urls = urlList(
    raw,
    (url) => /^wss?:\/\/[^\s/]+/.test(url) && URL.canParse(url),
    'a ws: or wss: URL',
  );
  if (new Set(urls).size !== urls.length) throw new ConfigError(`${raw.source} lists a URL twice`);
  return urls;
}
