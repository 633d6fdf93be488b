import {
  LOG_LEVELS,
  integer,
  parseBoolean,
  parseIceChoice,
  parseIceServers,
  parseJanusUrls,
  parseJoinSecret,
  parseKey,
  parseLogLevel,
  parseOrigins,
  parsePath,
  parseTrustProxy,
  parseTurnUrls,
  text,
} from './option-values.js';

// Every option of rtc-room-server, once: config.js parses from it, --help and the operator
// guide's flag table (`npm run docs:options`) are rendered from it.

/** @typedef {import('./option-values.js').RawValue} RawValue */

/**
 * One option: a flag, the environment variables that may set it instead, how its text becomes
 * a value (with its checks) and what it is when not given.
 * @template T, D
 * @typedef {object} Option
 * @property {string} flag e.g. `--port`
 * @property {readonly string[]} env variables read when the flag is not given, the first set one wins
 * @property {string} placeholder how --help shows the value, e.g. `<n>`; empty for a bare flag
 * @property {string} [bare] the value of the flag standing alone (it then takes no separate value)
 * @property {(raw: RawValue) => T} parse
 * @property {D} default
 * @property {string} [shownDefault] the default in words, where its value would not say it
 * @property {string} help one line
 * @property {string} [section] the heading --help lists it under, from this option on
 */

/**
 * @template T, D
 * @param {Option<T, D>} spec
 * @returns {Option<T, D>}
 */
const option = (spec) => spec;

/** Public STUN servers used when neither `--ice-servers` nor `--ice none` is given. */
export const DEFAULT_ICE_SERVERS = Object.freeze([
  { urls: 'stun:stun.l.google.com:19302' },
  { urls: 'stun:stun.cloudflare.com:3478' },
]);

/** Lifetime of a TURN credential when `--turn-ttl` is not given: 6 hours. */
export const DEFAULT_TURN_TTL = 6 * 60 * 60;

/** A mesh makes each visitor send its video once per other visitor: past this, it cannot. */
export const MAX_MESH_ROOM_SIZE = 8;

/** Visitors in a room on Janus, by default and at most. */
export const DEFAULT_SFU_ROOM_SIZE = 50;
export const MAX_SFU_ROOM_SIZE = 100;

/** Upper bound of the limits: past it a figure is a typo. */
const MAX_LIMIT = 1_000_000;

export const OPTIONS = {
  port: option({
    flag: '--port',
    env: ['RTC_ROOM_PORT', 'PORT'],
    placeholder: '<n>',
    parse: integer(0, 65535),
    default: 9000,
    help: 'port to listen on; 0 picks a free one',
  }),
  host: option({
    flag: '--host',
    env: ['RTC_ROOM_HOST', 'HOST'],
    placeholder: '<address>',
    parse: text,
    default: '0.0.0.0',
    help: 'address to listen on',
  }),
  path: option({
    flag: '--path',
    env: ['RTC_ROOM_PATH'],
    placeholder: '<path>',
    parse: parsePath,
    default: '/peerjs',
    help: 'where PeerServer is mounted',
  }),
  key: option({
    flag: '--key',
    env: ['RTC_ROOM_KEY'],
    placeholder: '<key>',
    parse: parseKey,
    default: 'peerjs',
    help: 'PeerServer key; the default is what PeerJS clients send',
  }),
  'allowed-origins': option({
    flag: '--allowed-origins',
    env: ['RTC_ROOM_ALLOWED_ORIGINS'],
    placeholder: '<list>',
    parse: parseOrigins,
    default: /** @type {'*' | string[]} */ ('*'),
    help: 'origins allowed to use /api and signalling, comma-separated, e.g. https://example.com,https://www.example.com',
  }),
  'tls-cert': option({
    flag: '--tls-cert',
    env: ['RTC_ROOM_TLS_CERT'],
    placeholder: '<file>',
    parse: text,
    default: null,
    shownDefault: 'plain HTTP',
    help: 'PEM certificate; serve HTTPS (needs --tls-key)',
  }),
  'tls-key': option({
    flag: '--tls-key',
    env: ['RTC_ROOM_TLS_KEY'],
    placeholder: '<file>',
    parse: text,
    default: null,
    shownDefault: 'none',
    help: 'PEM private key (needs --tls-cert)',
  }),
  'max-room-size': option({
    flag: '--max-room-size',
    env: ['RTC_ROOM_MAX_ROOM_SIZE'],
    placeholder: '<n>',
    parse: integer(2, MAX_SFU_ROOM_SIZE),
    default: MAX_MESH_ROOM_SIZE,
    shownDefault: `${MAX_MESH_ROOM_SIZE}; ${DEFAULT_SFU_ROOM_SIZE} with --janus-url`,
    help: `visitors per room: 2 to ${MAX_MESH_ROOM_SIZE} in a mesh, up to ${MAX_SFU_ROOM_SIZE} with --janus-url`,
  }),
  'ice-servers': option({
    flag: '--ice-servers',
    env: ['RTC_ROOM_ICE_SERVERS'],
    placeholder: '<json>',
    parse: parseIceServers,
    default: DEFAULT_ICE_SERVERS,
    shownDefault: 'public STUN from Google and Cloudflare',
    help: 'JSON array of RTCIceServer handed to clients',
  }),
  ice: option({
    flag: '--ice',
    env: ['RTC_ROOM_ICE'],
    placeholder: 'none',
    parse: parseIceChoice,
    default: null,
    shownDefault: 'off',
    help: 'no static ICE servers at all (closed networks)',
  }),
  'turn-secret': option({
    flag: '--turn-secret',
    env: ['RTC_ROOM_TURN_SECRET'],
    placeholder: '<secret>',
    parse: text,
    default: null,
    shownDefault: 'no TURN credentials',
    help: "coturn's static-auth-secret: hand out short-lived TURN credentials (prefer the variable: flags show in ps)",
  }),
  'turn-urls': option({
    flag: '--turn-urls',
    env: ['RTC_ROOM_TURN_URLS'],
    placeholder: '<list>',
    parse: parseTurnUrls,
    default: null,
    shownDefault: 'none',
    help: "the TURN server's turn: and turns: URLs, comma-separated (needs --turn-secret)",
  }),
  'turn-ttl': option({
    flag: '--turn-ttl',
    env: ['RTC_ROOM_TURN_TTL'],
    placeholder: '<seconds>',
    parse: integer(60, 7 * 24 * 60 * 60),
    default: DEFAULT_TURN_TTL,
    shownDefault: '21600 (6 hours)',
    help: 'TURN credential lifetime, 60 to 604800',
  }),
  'janus-url': option({
    flag: '--janus-url',
    env: ['RTC_ROOM_JANUS_URL'],
    placeholder: '<list>',
    parse: parseJanusUrls,
    default: null,
    shownDefault: 'none: every room is a mesh',
    help: "Janus instances' WebSocket URLs as this server reaches them, comma-separated: large rooms move to Janus's VideoRoom",
    section: 'Large rooms (Janus)',
  }),
  'janus-public-url': option({
    flag: '--janus-public-url',
    env: ['RTC_ROOM_JANUS_PUBLIC_URL'],
    placeholder: '<list>',
    parse: parseJanusUrls,
    default: null,
    shownDefault: 'the --janus-url list',
    help: 'the same instances as browsers reach them, in the same order',
  }),
  'janus-api-secret': option({
    flag: '--janus-api-secret',
    env: ['RTC_ROOM_JANUS_API_SECRET'],
    placeholder: '<secret>',
    parse: text,
    default: null,
    shownDefault: 'none',
    help: "Janus's api_secret, for this server's own requests (prefer the variable)",
  }),
  'janus-token-secret': option({
    flag: '--janus-token-secret',
    env: ['RTC_ROOM_JANUS_TOKEN_SECRET'],
    placeholder: '<secret>',
    parse: text,
    default: null,
    shownDefault: 'none',
    help: "Janus's token_auth_secret: signs each visitor's short-lived Janus token (prefer the variable)",
  }),
  'janus-admin-key': option({
    flag: '--janus-admin-key',
    env: ['RTC_ROOM_JANUS_ADMIN_KEY'],
    placeholder: '<key>',
    parse: text,
    default: null,
    shownDefault: 'none',
    help: "the VideoRoom plugin's admin_key: only this server creates rooms (prefer the variable)",
  }),
  'sfu-from': option({
    flag: '--sfu-from',
    env: ['RTC_ROOM_SFU_FROM'],
    placeholder: '<n>',
    parse: integer(2, MAX_SFU_ROOM_SIZE),
    default: 5,
    help: 'with --janus-url: a room moves to Janus when its n-th visitor arrives, until it empties',
  }),
  'join-secret': option({
    flag: '--join-secret',
    env: ['RTC_ROOM_JOIN_SECRET'],
    placeholder: '<secret>',
    parse: parseJoinSecret,
    default: null,
    shownDefault: 'rooms open to whoever knows their ID',
    help: 'require join tokens (JWT, HS256) signed with this key, at least 32 characters (prefer the variable: flags show in ps)',
    section: 'Who may come in',
  }),
  'allow-no-origin': option({
    flag: '--allow-no-origin',
    env: ['RTC_ROOM_ALLOW_NO_ORIGIN'],
    placeholder: '',
    bare: 'true',
    parse: parseBoolean,
    default: false,
    help: 'with --allowed-origins, still accept clients that send no Origin header (native apps); browsers always send one',
  }),
  'trust-proxy': option({
    flag: '--trust-proxy',
    env: ['RTC_ROOM_TRUST_PROXY'],
    placeholder: '[=<n>]',
    bare: 'true',
    parse: parseTrustProxy,
    default: 0,
    shownDefault: '0, not trusted; bare flag: 1',
    help: 'the client address is in X-Forwarded-For, added by n reverse proxies in front',
  }),
  'max-connections': option({
    flag: '--max-connections',
    env: ['RTC_ROOM_MAX_CONNECTIONS'],
    placeholder: '<n>',
    parse: integer(1, MAX_LIMIT),
    default: 20_000,
    help: 'WebSockets held at once, by everyone (lowered to fit the open-file limit)',
    section: 'Limits',
  }),
  'max-connections-per-ip': option({
    flag: '--max-connections-per-ip',
    env: ['RTC_ROOM_MAX_CONNECTIONS_PER_IP'],
    placeholder: '<n>',
    parse: integer(1, MAX_LIMIT),
    default: 50,
    help: 'WebSockets one address may hold at once',
  }),
  'max-registrations-per-ip': option({
    flag: '--max-registrations-per-ip',
    env: ['RTC_ROOM_MAX_REGISTRATIONS_PER_IP'],
    placeholder: '<n>',
    parse: integer(1, MAX_LIMIT),
    default: 60,
    help: 'WebSocket registrations one address may make per minute',
  }),
  'max-api-requests-per-ip': option({
    flag: '--max-api-requests-per-ip',
    env: ['RTC_ROOM_MAX_API_REQUESTS_PER_IP'],
    placeholder: '<n>',
    parse: integer(1, MAX_LIMIT),
    default: 1200,
    help: '/api calls one address may make per minute, a sixth of them at once; more get 429 with Retry-After',
  }),
  'metrics-token': option({
    flag: '--metrics-token',
    env: ['RTC_ROOM_METRICS_TOKEN'],
    placeholder: '<token>',
    parse: text,
    default: null,
    shownDefault: '/metrics open to all',
    help: '/metrics needs "Authorization: Bearer <token>"',
    section: 'Metrics and logs',
  }),
  'metrics-port': option({
    flag: '--metrics-port',
    env: ['RTC_ROOM_METRICS_PORT'],
    placeholder: '<n>',
    parse: integer(0, 65535),
    default: null,
    shownDefault: '/metrics on the main port',
    help: 'serve /metrics on this port only (same --host)',
  }),
  'log-level': option({
    flag: '--log-level',
    env: ['RTC_ROOM_LOG_LEVEL'],
    placeholder: '<level>',
    parse: parseLogLevel,
    default: /** @type {import('./option-values.js').LogLevel} */ ('info'),
    help: `${LOG_LEVELS.join(', ')}; JSON lines on stdout`,
  }),
};

/** @typedef {keyof typeof OPTIONS} OptionName */

/** @type {readonly Option<unknown, unknown>[]} */
const ALL = Object.values(OPTIONS);

/** @param {Option<unknown, unknown>} option e.g. `--port <n>`, `--trust-proxy[=<n>]` */
const usageOf = (option) =>
  `${option.flag}${option.placeholder && !option.bare ? ' ' : ''}${option.placeholder}`;

/** @param {Option<unknown, unknown>} option */
const shownDefault = (option) => option.shownDefault ?? String(option.default);

const HELP_WIDTH = 100;
const HELP_INDENT = '      ';

/**
 * Wraps `words` at the help's width, each line indented.
 * @param {string} words
 */
function wrap(words) {
  const lines = [];
  let line = HELP_INDENT;
  for (const word of words.split(' ')) {
    if (line.length + word.length + 1 > HELP_WIDTH && line.trim()) {
      lines.push(line.trimEnd());
      line = HELP_INDENT;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** What `--help` prints. */
export function renderHelp() {
  const entries = ALL.map((option) => {
    const heading = option.section ? `\n${option.section}:\n` : '';
    const usage = `  ${usageOf(option)}`;
    const meaning = `${option.help} (default: ${shownDefault(option)})`;
    return `${heading}${usage.padEnd(34)} ${option.env.join(', ')}\n${wrap(meaning)}\n`;
  });
  return `Usage: rtc-room-server [options]

Serves on one port: the demo at /, the <rtc-room> widget at /rtc-room.js, a PeerServer for
signalling (at --path) and a JSON API under /api. Each option can also be set through the
environment variable shown beside it; a flag wins over the environment.

${entries.join('')}
  --help, -h                       show this text

Flags take their value as --flag value or --flag=value.
`;
}

/** @param {string} text */
const markdownText = (text) =>
  text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The option table as markdown (`flag | environment | default | meaning`), for the docs. */
export function renderMarkdownTable() {
  const rows = ALL.map((option) => [
    `\`${usageOf(option)}\``,
    option.env.map((name) => `\`${name}\``).join(', '),
    option.shownDefault ? markdownText(option.shownDefault) : `\`${String(option.default)}\``,
    markdownText(option.help),
  ]);
  const header = ['flag', 'environment', 'default', 'meaning'];
  // Aligned the way Prettier aligns a table, so that formatting the guide leaves it alone.
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((cells) => cells[column].length)),
  );
  /** @param {string[]} cells */
  const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}
