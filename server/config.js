import { readFileSync } from 'node:fs';

/** @typedef {import('./ice.js').IceServer} IceServer */
/** @typedef {import('./ice.js').TurnConfig} TurnConfig */

/**
 * Everything `rtc-room-server` is told by its flags and environment.
 * @typedef {object} Config
 * @property {number} port
 * @property {string} host
 * @property {string} path where PeerServer is mounted, e.g. `/peerjs`
 * @property {string} key PeerServer key
 * @property {'*' | string[]} allowedOrigins origins allowed to use the API and signalling
 * @property {{ cert: string | Buffer, key: string | Buffer } | null} tls certificate and key contents (PEM)
 * @property {number} maxRoomSize
 * @property {IceServer[]} iceServers static STUN/TURN servers handed to clients
 * @property {TurnConfig | null} turn short-lived TURN credentials from coturn's shared secret
 * @property {string | null} joinSecret HS256 key of join tokens; null: rooms open to whoever knows the ID
 * @property {boolean} allowNoOrigin accept sockets and /api calls without an Origin header (native clients)
 * @property {number} trustProxy reverse proxies in front whose X-Forwarded-For is believed (0: none)
 * @property {Limits} limits what one address, and everyone together, may hold
 * @property {{ token: string | null, port: number | null }} metrics who may read /metrics, and on which port
 * @property {LogLevel} logLevel
 * @property {boolean} help `--help` was given; nothing else was read
 */

/**
 * @typedef {object} Limits
 * @property {number} maxConnections WebSockets held at once, by everyone (PeerServer's concurrent_limit)
 * @property {number} connectionsPerIp WebSockets one address may hold at once
 * @property {number} registrationsPerIp WebSocket registrations one address may make per minute
 * @property {number} apiRequestsPerIp /api requests one address may make per minute
 */

/** @typedef {'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent'} LogLevel */

const LOG_LEVELS = /** @type {const} */ (['fatal', 'error', 'warn', 'info', 'debug', 'silent']);

/** Shortest join secret accepted: HS256 wants a key of at least 256 bits. */
const MIN_JOIN_SECRET_LENGTH = 32;

/** A configuration mistake, with a message naming the flag or variable at fault. */
export class ConfigError extends Error {
  /** @override */
  name = 'ConfigError';
}

/** Public STUN servers used when neither `--ice-servers` nor `--ice none` is given. */
export const DEFAULT_ICE_SERVERS = Object.freeze([
  { urls: 'stun:stun.l.google.com:19302' },
  { urls: 'stun:stun.cloudflare.com:3478' },
]);

/** Lifetime of a TURN credential when `--turn-ttl` is not given: 6 hours. */
export const DEFAULT_TURN_TTL = 6 * 60 * 60;

/** @type {Omit<Config, 'help'>} */
const DEFAULTS = {
  port: 9000,
  host: '0.0.0.0',
  path: '/peerjs',
  key: 'peerjs',
  allowedOrigins: '*',
  tls: null,
  maxRoomSize: 8,
  iceServers: [...DEFAULT_ICE_SERVERS],
  turn: null,
  joinSecret: null,
  allowNoOrigin: false,
  trustProxy: 0,
  limits: {
    maxConnections: 20_000,
    connectionsPerIp: 50,
    registrationsPerIp: 60,
    apiRequestsPerIp: 1200,
  },
  metrics: { token: null, port: null },
  logLevel: 'info',
};

const OPTION_NAMES = /** @type {const} */ ([
  'port',
  'host',
  'path',
  'key',
  'allowed-origins',
  'tls-cert',
  'tls-key',
  'max-room-size',
  'ice-servers',
  'ice',
  'turn-secret',
  'turn-urls',
  'turn-ttl',
  'join-secret',
  'allow-no-origin',
  'trust-proxy',
  'max-connections',
  'max-connections-per-ip',
  'max-registrations-per-ip',
  'max-api-requests-per-ip',
  'metrics-token',
  'metrics-port',
  'log-level',
]);

/** Options that may stand alone on the command line (`--allow-no-origin`), meaning "true" or 1. */
const BARE_FLAGS = new Set(['allow-no-origin', 'trust-proxy']);

/** @typedef {typeof OPTION_NAMES[number]} OptionName */

/** Variables read as a last resort, after `RTC_ROOM_*`, because hosting platforms set them. */
/** @type {Partial<Record<OptionName, string>>} */
const PLATFORM_VARIABLES = { port: 'PORT', host: 'HOST' };

export const HELP = `Usage: rtc-room-server [options]

Serves on one port: the demo at /, the <rtc-room> widget at /rtc-room.js, a PeerServer for
signalling (at --path) and a JSON API under /api. Each option can also be set through the
environment variable shown beside it; a flag wins over the environment.

  --port <n>              RTC_ROOM_PORT, PORT   port to listen on (default 9000; 0 picks a free one)
  --host <address>        RTC_ROOM_HOST, HOST   address to listen on (default 0.0.0.0)
  --path <path>           RTC_ROOM_PATH         where PeerServer is mounted (default /peerjs)
  --key <key>             RTC_ROOM_KEY          PeerServer key (default peerjs, as PeerJS clients expect)
  --allowed-origins <list> RTC_ROOM_ALLOWED_ORIGINS
                          origins allowed to use /api and signalling, comma-separated,
                          e.g. https://example.com,https://www.example.com (default *)
  --tls-cert <file>       RTC_ROOM_TLS_CERT     PEM certificate; serve HTTPS (needs --tls-key)
  --tls-key <file>        RTC_ROOM_TLS_KEY      PEM private key (needs --tls-cert)
  --max-room-size <n>     RTC_ROOM_MAX_ROOM_SIZE  peers per room, 2 to 64 (default 8)
  --ice-servers <json>    RTC_ROOM_ICE_SERVERS  JSON array of RTCIceServer handed to clients
                          (default: public STUN from Google and Cloudflare)
  --ice none              RTC_ROOM_ICE          no static ICE servers at all (closed networks)
  --turn-secret <secret>  RTC_ROOM_TURN_SECRET  coturn's static-auth-secret: hand out short-lived
                          TURN credentials (prefer the variable: flags show in ps)
  --turn-urls <list>      RTC_ROOM_TURN_URLS    the TURN server's turn:/turns: URLs, comma-separated
  --turn-ttl <seconds>    RTC_ROOM_TURN_TTL     TURN credential lifetime, 60 to 604800 (default 21600)

Who may come in:
  --join-secret <secret>  RTC_ROOM_JOIN_SECRET  require join tokens (JWT, HS256) signed with this key,
                          at least 32 characters (prefer the variable: flags show in ps)
  --allow-no-origin       RTC_ROOM_ALLOW_NO_ORIGIN  with --allowed-origins, still accept clients that
                          send no Origin header (native apps); browsers always send one
  --trust-proxy[=<n>]     RTC_ROOM_TRUST_PROXY  the client address is in X-Forwarded-For, added by
                          n reverse proxies in front (default: not trusted; bare flag: 1)

Limits:
  --max-connections <n>   RTC_ROOM_MAX_CONNECTIONS  WebSockets held at once (default 20000)
  --max-connections-per-ip <n>  RTC_ROOM_MAX_CONNECTIONS_PER_IP  per address (default 50)
  --max-registrations-per-ip <n>  RTC_ROOM_MAX_REGISTRATIONS_PER_IP  per address per minute (default 60)
  --max-api-requests-per-ip <n>  RTC_ROOM_MAX_API_REQUESTS_PER_IP  /api calls per address per minute
                          (default 1200, a sixth of them at once); more get 429 with Retry-After

Metrics and logs:
  --metrics-token <token> RTC_ROOM_METRICS_TOKEN  /metrics needs "Authorization: Bearer <token>"
  --metrics-port <n>      RTC_ROOM_METRICS_PORT  serve /metrics on this port only (same --host)
  --log-level <level>     RTC_ROOM_LOG_LEVEL    fatal, error, warn, info (default), debug or silent;
                          JSON lines on stdout

  --help                  show this text

Flags take their value as --flag value or --flag=value.
`;

/**
 * Reads the configuration from command-line arguments and environment variables.
 * @param {readonly string[]} argv arguments after the script name
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {{ readFile?: (path: string) => string | Buffer }} [io] how to read the TLS files
 * @returns {Config}
 * @throws {ConfigError}
 */
export function parseConfig(argv, env, { readFile = (path) => readFileSync(path) } = {}) {
  if (argv.includes('--help') || argv.includes('-h')) return { ...DEFAULTS, help: true };
  const raw = readRawValues(argv, env);
  /** @param {OptionName} name */
  const get = (name) => raw.get(name);

  const port = get('port');
  const host = get('host');
  const path = get('path');
  const key = get('key');
  const origins = get('allowed-origins');
  const maxRoomSize = get('max-room-size');
  /**
   * @param {OptionName} name
   * @param {number} fallback
   * @param {number} max
   */
  const count = (name, fallback, max) => {
    const raw = get(name);
    return raw ? parseInteger(raw, 1, max) : fallback;
  };
  const metricsToken = get('metrics-token');
  const metricsPort = get('metrics-port');
  const logLevel = get('log-level');
  return {
    port: port ? parseInteger(port, 0, 65535) : DEFAULTS.port,
    host: host ? host.value : DEFAULTS.host,
    path: path ? parsePath(path) : DEFAULTS.path,
    key: key ? parseKey(key) : DEFAULTS.key,
    allowedOrigins: origins ? parseOrigins(origins) : DEFAULTS.allowedOrigins,
    tls: readTls(get('tls-cert'), get('tls-key'), readFile),
    maxRoomSize: maxRoomSize ? parseInteger(maxRoomSize, 2, 64) : DEFAULTS.maxRoomSize,
    iceServers: parseIce(get('ice-servers'), get('ice')),
    turn: parseTurn(get('turn-secret'), get('turn-urls'), get('turn-ttl')),
    joinSecret: parseJoinSecret(get('join-secret')),
    allowNoOrigin: parseBoolean(get('allow-no-origin')),
    trustProxy: parseTrustProxy(get('trust-proxy')),
    limits: {
      maxConnections: count('max-connections', DEFAULTS.limits.maxConnections, 1_000_000),
      connectionsPerIp: count(
        'max-connections-per-ip',
        DEFAULTS.limits.connectionsPerIp,
        1_000_000,
      ),
      registrationsPerIp: count(
        'max-registrations-per-ip',
        DEFAULTS.limits.registrationsPerIp,
        1_000_000,
      ),
      apiRequestsPerIp: count(
        'max-api-requests-per-ip',
        DEFAULTS.limits.apiRequestsPerIp,
        1_000_000,
      ),
    },
    metrics: {
      token: metricsToken ? metricsToken.value : null,
      port: metricsPort ? parseInteger(metricsPort, 0, 65535) : null,
    },
    logLevel: logLevel ? parseLogLevel(logLevel) : DEFAULTS.logLevel,
    help: false,
  };
}

/** @typedef {{ value: string, source: string }} RawValue a value and the flag or variable it came from */

/**
 * @param {readonly string[]} argv
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {Map<OptionName, RawValue>}
 */
function readRawValues(argv, env) {
  /** @type {Map<OptionName, RawValue>} */
  const raw = new Map();
  for (const name of OPTION_NAMES) {
    const variables = [envName(name), PLATFORM_VARIABLES[name]];
    const source = variables.find((variable) => variable && env[variable]);
    if (source) raw.set(name, { value: /** @type {string} */ (env[source]), source });
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"`);
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const name = OPTION_NAMES.find((option) => `--${option}` === flag);
    if (!name) throw new ConfigError(`unknown option ${flag}`);
    if (equals === -1 && BARE_FLAGS.has(name)) {
      raw.set(name, { value: 'true', source: flag });
      continue;
    }
    const value = equals === -1 ? argv[++i] : arg.slice(equals + 1);
    if (value === undefined || value === '' || (equals === -1 && value.startsWith('--'))) {
      throw new ConfigError(`${flag} needs a value`);
    }
    raw.set(name, { value, source: flag });
  }
  return raw;
}

/** @param {OptionName} name */
function envName(name) {
  return `RTC_ROOM_${name.toUpperCase().replaceAll('-', '_')}`;
}

/** @param {OptionName} name how to name an option that was not given */
function both(name) {
  return `--${name} (${envName(name)})`;
}

/**
 * @param {RawValue} raw
 * @param {number} min
 * @param {number} max
 */
function parseInteger({ value, source }, min, max) {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw new ConfigError(`${source} must be a whole number from ${min} to ${max}, not "${value}"`);
  }
  return number;
}

/** @param {RawValue | undefined} raw */
function parseBoolean(raw) {
  if (!raw) return false;
  if (/^(true|1|yes)$/i.test(raw.value)) return true;
  if (/^(false|0|no)$/i.test(raw.value)) return false;
  throw new ConfigError(`${raw.source} must be true or false, not "${raw.value}"`);
}

/** @param {RawValue | undefined} raw */
function parseTrustProxy(raw) {
  if (!raw) return 0;
  if (/^(true|yes)$/i.test(raw.value)) return 1;
  if (/^(false|no)$/i.test(raw.value)) return 0;
  return parseInteger(raw, 0, 10);
}

/** @param {RawValue | undefined} raw */
function parseJoinSecret(raw) {
  if (!raw) return null;
  if (raw.value.length < MIN_JOIN_SECRET_LENGTH) {
    throw new ConfigError(
      `${raw.source} must be at least ${MIN_JOIN_SECRET_LENGTH} characters (a long random string)`,
    );
  }
  return raw.value;
}

/**
 * @param {RawValue} raw
 * @returns {LogLevel}
 */
function parseLogLevel({ value, source }) {
  const level = LOG_LEVELS.find((known) => known === value);
  if (!level) throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** @param {RawValue} raw */
function parsePath({ value, source }) {
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
function parseKey({ value, source }) {
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
function parseOrigins({ value, source }) {
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
 * @param {RawValue | undefined} cert
 * @param {RawValue | undefined} key
 * @param {(path: string) => string | Buffer} readFile
 * @returns {Config['tls']}
 */
function readTls(cert, key, readFile) {
  if (!cert && !key) return null;
  if (!cert) throw new ConfigError(`${key?.source} needs ${both('tls-cert')} as well`);
  if (!key) throw new ConfigError(`${cert.source} needs ${both('tls-key')} as well`);
  /** @param {RawValue} raw */
  const read = ({ value, source }) => {
    try {
      return readFile(value);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`${source}: cannot read "${value}": ${reason}`);
    }
  };
  return { cert: read(cert), key: read(key) };
}

/**
 * @param {RawValue | undefined} servers
 * @param {RawValue | undefined} ice
 * @returns {IceServer[]}
 */
function parseIce(servers, ice) {
  if (ice && ice.value !== 'none') {
    throw new ConfigError(`${ice.source} takes only "none", not "${ice.value}"`);
  }
  if (ice && servers) {
    throw new ConfigError(
      `${servers.source} and ${ice.source}=none contradict each other; give one`,
    );
  }
  if (ice) return [];
  return servers ? parseIceServers(servers) : [...DEFAULT_ICE_SERVERS];
}

/**
 * @param {RawValue} raw
 * @returns {IceServer[]}
 */
function parseIceServers({ value, source }) {
  /** @param {string} reason */
  const fail = (reason) =>
    new ConfigError(`${source} must be a JSON array of RTCIceServer objects: ${reason}`);
  /** @type {unknown} */
  let list;
  try {
    list = JSON.parse(value);
  } catch {
    throw fail('it is not valid JSON');
  }
  if (!Array.isArray(list)) throw fail('it is not an array');
  return list.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null) throw fail(`entry ${index} is not an object`);
    const { urls, username, credential } = /** @type {Record<string, unknown>} */ (entry);
    const urlList = typeof urls === 'string' ? [urls] : urls;
    if (!Array.isArray(urlList) || urlList.length === 0) {
      throw fail(`entry ${index} has no "urls"`);
    }
    for (const url of urlList) {
      if (typeof url !== 'string' || !/^(stuns?|turns?):\S+$/.test(url)) {
        throw fail(
          `entry ${index}: ${JSON.stringify(url)} is not a stun:, stuns:, turn: or turns: URL`,
        );
      }
    }
    if (username !== undefined && typeof username !== 'string')
      throw fail(`entry ${index}: "username" is not a string`);
    if (credential !== undefined && typeof credential !== 'string')
      throw fail(`entry ${index}: "credential" is not a string`);
    const isTurn = urlList.some((url) => url.startsWith('turn'));
    // Browsers reject a TURN server without credentials when the page builds its connection.
    if (isTurn && (username === undefined || credential === undefined)) {
      throw fail(`entry ${index} is a TURN server without "username" and "credential"`);
    }
    return {
      urls: /** @type {string | string[]} */ (urls),
      ...(username === undefined ? {} : { username }),
      ...(credential === undefined ? {} : { credential }),
    };
  });
}

/**
 * @param {RawValue | undefined} secret
 * @param {RawValue | undefined} urls
 * @param {RawValue | undefined} ttl
 * @returns {TurnConfig | null}
 */
function parseTurn(secret, urls, ttl) {
  if (secret && !urls) throw new ConfigError(`${secret.source} needs ${both('turn-urls')} as well`);
  if (urls && !secret) throw new ConfigError(`${urls.source} needs ${both('turn-secret')} as well`);
  if (ttl && !secret)
    throw new ConfigError(`${ttl.source} needs ${both('turn-secret')} and ${both('turn-urls')}`);
  if (!secret || !urls) return null;
  const urlList = urls.value
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  if (urlList.length === 0) throw new ConfigError(`${urls.source} lists no URL`);
  for (const url of urlList) {
    if (!/^turns?:\S+$/.test(url)) {
      throw new ConfigError(`${urls.source}: "${url}" is not a turn: or turns: URL`);
    }
  }
  return {
    secret: secret.value,
    urls: urlList,
    ttl: ttl ? parseInteger(ttl, 60, 7 * 24 * 60 * 60) : DEFAULT_TURN_TTL,
  };
}
