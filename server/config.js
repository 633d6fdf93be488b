import { readFileSync } from 'node:fs';
import { ConfigError } from './option-values.js';
import {
  DEFAULT_ICE_SERVERS,
  DEFAULT_SFU_ROOM_SIZE,
  MAX_MESH_ROOM_SIZE,
  OPTIONS,
  renderHelp,
} from './options.js';

export { ConfigError } from './option-values.js';
export { DEFAULT_ICE_SERVERS, DEFAULT_TURN_TTL } from './options.js';

/** @typedef {import('./ice.js').IceServer} IceServer */
/** @typedef {import('./ice.js').TurnConfig} TurnConfig */
/** @typedef {import('./option-values.js').LogLevel} LogLevel */
/** @typedef {import('./option-values.js').RawValue} RawValue */
/** @typedef {import('./options.js').OptionName} OptionName */

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
 * @property {SfuConfig | null} sfu where large rooms go: Janus instances and their secrets; null: meshes only
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
 * @typedef {object} SfuConfig
 * @property {import('./janus/sfu-rooms.js').JanusInstance[]} instances
 * @property {string} apiSecret
 * @property {string} tokenSecret
 * @property {string} adminKey
 * @property {number} from a room moves to Janus when this many visitors are in it
 */

/**
 * @typedef {object} Limits
 * @property {number} maxConnections WebSockets held at once, by everyone (PeerServer's concurrent_limit)
 * @property {number} connectionsPerIp WebSockets one address may hold at once
 * @property {number} registrationsPerIp WebSocket registrations one address may make per minute
 * @property {number} apiRequestsPerIp /api calls one address may make per minute
 */

/** What `rtc-room-server --help` prints, from the option table. */
export const HELP = renderHelp();

/** @typedef {(path: string) => string | Buffer} ReadFile */

/**
 * Reads the configuration from command-line arguments and environment variables.
 * @param {readonly string[]} argv arguments after the script name
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {{ readFile?: ReadFile }} [io] how to read the TLS files
 * @returns {Config}
 * @throws {ConfigError}
 */
export function parseConfig(argv, env, { readFile = (path) => readFileSync(path) } = {}) {
  if (argv.includes('--help') || argv.includes('-h')) {
    return { ...configFrom(new Map(), readFile), help: true };
  }
  return { ...configFrom(readRawValues(argv, env), readFile), help: false };
}

/**
 * The configuration from the values given, each checked in the order of the table.
 * @param {Map<OptionName, RawValue>} raw
 * @param {ReadFile} readFile
 * @returns {Omit<Config, 'help'>}
 */
function configFrom(raw, readFile) {
  /**
   * The option's value, or its default when it was not given.
   * @template {OptionName} K
   * @param {K} name
   * @returns {ReturnType<(typeof OPTIONS)[K]['parse']> | (typeof OPTIONS)[K]['default']}
   */
  const value = (name) => {
    const given = raw.get(name);
    const option = OPTIONS[name];
    return given ? /** @type {any} */ (option.parse)(given) : option.default;
  };
  return {
    port: value('port'),
    host: value('host'),
    path: value('path'),
    key: value('key'),
    allowedOrigins: value('allowed-origins'),
    tls: readTls(raw, readFile),
    ...readRoomSizes(raw, value),
    iceServers: readIce(raw, () => value('ice-servers')),
    turn: readTurn(
      raw,
      () => value('turn-urls'),
      () => value('turn-ttl'),
    ),
    joinSecret: value('join-secret'),
    allowNoOrigin: value('allow-no-origin'),
    trustProxy: value('trust-proxy'),
    limits: {
      maxConnections: value('max-connections'),
      connectionsPerIp: value('max-connections-per-ip'),
      registrationsPerIp: value('max-registrations-per-ip'),
      apiRequestsPerIp: value('max-api-requests-per-ip'),
    },
    metrics: { token: value('metrics-token'), port: value('metrics-port') },
    logLevel: value('log-level'),
  };
}

const NAMES = /** @type {OptionName[]} */ (Object.keys(OPTIONS));

/**
 * @param {readonly string[]} argv
 * @param {Readonly<Record<string, string | undefined>>} env
 * @returns {Map<OptionName, RawValue>}
 */
function readRawValues(argv, env) {
  /** @type {Map<OptionName, RawValue>} */
  const raw = new Map();
  for (const name of NAMES) {
    const source = OPTIONS[name].env.find((variable) => env[variable]);
    if (source) raw.set(name, { value: /** @type {string} */ (env[source]), source });
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"`);
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const name = NAMES.find((each) => OPTIONS[each].flag === flag);
    if (!name) throw new ConfigError(`unknown option ${flag}`);
    const { bare } = /** @type {{ bare?: string }} */ (OPTIONS[name]);
    if (equals === -1 && bare) {
      raw.set(name, { value: bare, source: flag });
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

/** @param {OptionName} name how to name an option that was not given */
function both(name) {
  return `${OPTIONS[name].flag} (${OPTIONS[name].env[0]})`;
}

/**
 * @param {Map<OptionName, RawValue>} raw
 * @param {ReadFile} readFile
 * @returns {Config['tls']}
 */
function readTls(raw, readFile) {
  const cert = raw.get('tls-cert');
  const key = raw.get('tls-key');
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
 * The largest room and where large rooms go: a mesh holds at most MAX_MESH_ROOM_SIZE; with
 * Janus, rooms move there from `--sfu-from` visitors and hold up to MAX_SFU_ROOM_SIZE.
 * @param {Map<OptionName, RawValue>} raw
 * @param {<K extends OptionName>(name: K) => any} value
 * @returns {{ maxRoomSize: number, sfu: SfuConfig | null }}
 */
function readRoomSizes(raw, value) {
  const urls = /** @type {string[] | null} */ (value('janus-url'));
  const size = raw.get('max-room-size');
  const janusOnly = /** @type {const} */ ([
    'janus-public-url',
    'janus-api-secret',
    'janus-token-secret',
    'janus-admin-key',
    'sfu-from',
  ]);
  if (!urls) {
    const stray = janusOnly.map((name) => raw.get(name)).find(Boolean);
    if (stray) throw new ConfigError(`${stray.source} needs ${both('janus-url')} as well`);
    const maxRoomSize = value('max-room-size');
    if (maxRoomSize > MAX_MESH_ROOM_SIZE) {
      throw new ConfigError(
        `${size?.source} is ${maxRoomSize}, but a mesh room holds at most ${MAX_MESH_ROOM_SIZE}: larger rooms need ${both('janus-url')}`,
      );
    }
    return { maxRoomSize, sfu: null };
  }
  for (const name of /** @type {const} */ ([
    'janus-api-secret',
    'janus-token-secret',
    'janus-admin-key',
  ])) {
    if (!raw.get(name)) throw new ConfigError(`${both('janus-url')} needs ${both(name)} as well`);
  }
  const publicUrls = /** @type {string[] | null} */ (value('janus-public-url')) ?? urls;
  if (publicUrls.length !== urls.length) {
    throw new ConfigError(
      `${raw.get('janus-public-url')?.source} lists ${publicUrls.length} URLs for ${urls.length} Janus instances`,
    );
  }
  const maxRoomSize = size ? value('max-room-size') : DEFAULT_SFU_ROOM_SIZE;
  const from = value('sfu-from');
  if (from > maxRoomSize) {
    throw new ConfigError(
      `${raw.get('sfu-from')?.source ?? both('sfu-from')} is ${from}, more than a room holds (${maxRoomSize})`,
    );
  }
  return {
    maxRoomSize,
    sfu: {
      instances: urls.map((url, i) => ({ url, publicUrl: publicUrls[i] })),
      apiSecret: value('janus-api-secret'),
      tokenSecret: value('janus-token-secret'),
      adminKey: value('janus-admin-key'),
      from,
    },
  };
}

/**
 * @param {Map<OptionName, RawValue>} raw
 * @param {() => readonly IceServer[]} servers `--ice-servers`, or the default
 * @returns {IceServer[]}
 */
function readIce(raw, servers) {
  const ice = raw.get('ice');
  const given = raw.get('ice-servers');
  if (ice) OPTIONS.ice.parse(ice);
  if (ice && given) {
    throw new ConfigError(`${given.source} and ${ice.source}=none contradict each other; give one`);
  }
  if (ice) return [];
  const list = servers();
  return list === DEFAULT_ICE_SERVERS ? [...list] : /** @type {IceServer[]} */ (list);
}

/**
 * @param {Map<OptionName, RawValue>} raw
 * @param {() => string[] | null} urls `--turn-urls`, checked
 * @param {() => number} ttl `--turn-ttl`, checked, or its default
 * @returns {TurnConfig | null}
 */
function readTurn(raw, urls, ttl) {
  const secret = raw.get('turn-secret');
  const givenUrls = raw.get('turn-urls');
  const givenTtl = raw.get('turn-ttl');
  if (secret && !givenUrls) {
    throw new ConfigError(`${secret.source} needs ${both('turn-urls')} as well`);
  }
  if (givenUrls && !secret) {
    throw new ConfigError(`${givenUrls.source} needs ${both('turn-secret')} as well`);
  }
  if (givenTtl && !secret) {
    throw new ConfigError(
      `${givenTtl.source} needs ${both('turn-secret')} and ${both('turn-urls')}`,
    );
  }
  if (!secret) return null;
  return { secret: secret.value, urls: /** @type {string[]} */ (urls()), ttl: ttl() };
}
