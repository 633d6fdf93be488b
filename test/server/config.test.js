import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, DEFAULT_ICE_SERVERS, parseConfig } from '../../server/config.js';

/** Reads "files" from a table instead of the disk. */
const FILES = { '/tls/cert.pem': 'CERT', '/tls/key.pem': 'KEY' };
/** @param {string} path */
const readFile = (path) => {
  const contents = FILES[/** @type {keyof typeof FILES} */ (path)];
  if (contents === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
  return contents;
};

/**
 * @param {string[]} argv
 * @param {Record<string, string>} [env]
 */
const parse = (argv, env = {}) => parseConfig(argv, env, { readFile });

/** Janus's secrets, as an operator sets them: in the environment. */
const JANUS_SECRETS = {
  RTC_ROOM_JANUS_API_SECRET: 'api',
  RTC_ROOM_JANUS_TOKEN_SECRET: 'tokens',
  RTC_ROOM_JANUS_ADMIN_KEY: 'admin',
};

describe('parseConfig', () => {
  test('gives the defaults when nothing is set', () => {
    assert.deepEqual(parse([]), {
      port: 9000,
      host: '0.0.0.0',
      path: '/peerjs',
      key: 'peerjs',
      allowedOrigins: '*',
      tls: null,
      maxRoomSize: 8,
      sfu: null,
      iceServers: DEFAULT_ICE_SERVERS,
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
      help: false,
    });
  });

  /** @type {[string, string[], Record<string, string>, Partial<import('../../server/config.js').Config>][]} */
  const cases = [
    ['--port value', ['--port', '8080'], {}, { port: 8080 }],
    ['--port=value', ['--port=8081'], {}, { port: 8081 }],
    ['port 0 for any free port', ['--port', '0'], {}, { port: 0 }],
    ['PORT from the platform', [], { PORT: '3000' }, { port: 3000 }],
    ['RTC_ROOM_PORT over PORT', [], { PORT: '3000', RTC_ROOM_PORT: '4000' }, { port: 4000 }],
    ['a flag over the environment', ['--port', '5000'], { RTC_ROOM_PORT: '4000' }, { port: 5000 }],
    ['an empty variable counts as unset', [], { RTC_ROOM_PORT: '', PORT: '3000' }, { port: 3000 }],
    ['HOST', [], { HOST: '127.0.0.1' }, { host: '127.0.0.1' }],
    ['--host', ['--host', '::1'], { HOST: '127.0.0.1' }, { host: '::1' }],
    ['--path', ['--path', '/signal/'], {}, { path: '/signal' }],
    ['--key', [], { RTC_ROOM_KEY: 'sesame' }, { key: 'sesame' }],
    [
      '--allowed-origins list',
      ['--allowed-origins', 'https://a.example, http://localhost:8000/'],
      {},
      { allowedOrigins: ['https://a.example', 'http://localhost:8000'] },
    ],
    ['--allowed-origins *', [], { RTC_ROOM_ALLOWED_ORIGINS: '*' }, { allowedOrigins: '*' }],
    [
      'TLS files read',
      ['--tls-cert', '/tls/cert.pem', '--tls-key=/tls/key.pem'],
      {},
      { tls: { cert: 'CERT', key: 'KEY' } },
    ],
    ['--max-room-size', ['--max-room-size', '4'], {}, { maxRoomSize: 4 }],
    ['RTC_ROOM_MAX_ROOM_SIZE', [], { RTC_ROOM_MAX_ROOM_SIZE: '6' }, { maxRoomSize: 6 }],
    [
      'Janus: rooms of 50 by default, moving from the fifth visitor',
      ['--janus-url', 'ws://janus-a:8188, ws://janus-b:8188'],
      JANUS_SECRETS,
      {
        maxRoomSize: 50,
        sfu: {
          instances: [
            { url: 'ws://janus-a:8188', publicUrl: 'ws://janus-a:8188' },
            { url: 'ws://janus-b:8188', publicUrl: 'ws://janus-b:8188' },
          ],
          apiSecret: 'api',
          tokenSecret: 'tokens',
          adminKey: 'admin',
          from: 5,
        },
      },
    ],
    [
      'Janus with public URLs, a room size and --sfu-from',
      [
        '--janus-url=ws://10.0.0.5:8188',
        '--janus-public-url=wss://janus.example.com/ws',
        '--max-room-size=100',
        '--sfu-from=3',
      ],
      JANUS_SECRETS,
      {
        maxRoomSize: 100,
        sfu: {
          instances: [{ url: 'ws://10.0.0.5:8188', publicUrl: 'wss://janus.example.com/ws' }],
          apiSecret: 'api',
          tokenSecret: 'tokens',
          adminKey: 'admin',
          from: 3,
        },
      },
    ],
    ['--ice none', ['--ice', 'none'], {}, { iceServers: [] }],
    ['RTC_ROOM_ICE=none', [], { RTC_ROOM_ICE: 'none' }, { iceServers: [] }],
    [
      '--ice-servers',
      [
        '--ice-servers',
        '[{"urls":"stun:s.example:3478"},{"urls":["turn:t.example"],"username":"u","credential":"c"}]',
      ],
      {},
      {
        iceServers: [
          { urls: 'stun:s.example:3478' },
          { urls: ['turn:t.example'], username: 'u', credential: 'c' },
        ],
      },
    ],
    [
      'TURN with the default lifetime of 6 hours',
      ['--turn-urls', 'turn:t.example:3478'],
      { RTC_ROOM_TURN_SECRET: 's3cret' },
      {
        turn: { secret: 's3cret', urls: ['turn:t.example:3478'], ttl: 21600 },
      },
    ],
    [
      'TURN with --turn-ttl',
      ['--turn-secret', 's', '--turn-urls', 'turn:a, turns:b:5349', '--turn-ttl', '3600'],
      {},
      {
        turn: { secret: 's', urls: ['turn:a', 'turns:b:5349'], ttl: 3600 },
      },
    ],
    [
      'the join secret from the environment',
      [],
      { RTC_ROOM_JOIN_SECRET: 'x'.repeat(32) },
      { joinSecret: 'x'.repeat(32) },
    ],
    ['--allow-no-origin alone', ['--allow-no-origin'], {}, { allowNoOrigin: true }],
    ['RTC_ROOM_ALLOW_NO_ORIGIN=1', [], { RTC_ROOM_ALLOW_NO_ORIGIN: '1' }, { allowNoOrigin: true }],
    ['--trust-proxy alone: one proxy', ['--trust-proxy', '--port', '1'], {}, { trustProxy: 1 }],
    ['--trust-proxy=2', ['--trust-proxy=2'], {}, { trustProxy: 2 }],
    [
      'every limit',
      [
        '--max-connections',
        '100',
        '--max-connections-per-ip=5',
        '--max-registrations-per-ip',
        '7',
        '--max-api-requests-per-ip',
        '30',
      ],
      {},
      {
        limits: {
          maxConnections: 100,
          connectionsPerIp: 5,
          registrationsPerIp: 7,
          apiRequestsPerIp: 30,
        },
      },
    ],
    [
      'metrics behind a token on their own port',
      ['--metrics-port', '9100'],
      { RTC_ROOM_METRICS_TOKEN: 'scrape' },
      { metrics: { token: 'scrape', port: 9100 } },
    ],
    ['--log-level', ['--log-level', 'silent'], {}, { logLevel: 'silent' }],
  ];
  for (const [name, argv, env, expected] of cases) {
    test(`reads ${name}`, () => {
      const config = parse(argv, env);
      for (const [field, value] of Object.entries(expected)) {
        assert.deepEqual(config[/** @type {keyof typeof config} */ (field)], value, field);
      }
    });
  }

  test('returns help: true for --help, whatever else is wrong', () => {
    assert.equal(parse(['--help']).help, true);
    assert.equal(parse(['--bogus', '-h'], { PORT: 'nope' }).help, true);
  });

  /** @type {[string, string[], Record<string, string>, RegExp][]} */
  const errors = [
    ['an unknown flag', ['--prot', '80'], {}, /unknown option --prot/],
    ['a positional argument', ['9000'], {}, /unexpected argument "9000"/],
    ['a flag without its value at the end', ['--port'], {}, /--port needs a value/],
    ['a flag followed by another flag', ['--host', '--port', '1'], {}, /--host needs a value/],
    ['an empty --flag=', ['--key='], {}, /--key needs a value/],
    [
      'a port that is not a number',
      ['--port', 'http'],
      {},
      /--port must be a whole number from 0 to 65535, not "http"/,
    ],
    ['a port out of range', [], { PORT: '70000' }, /PORT must be a whole number/],
    ['a negative port', ['--port=-1'], {}, /--port must be a whole number/],
    ['a path without a leading slash', ['--path', 'peerjs'], {}, /--path must be a URL path/],
    ['the root as path', ['--path', '/'], {}, /--path must be a URL path/],
    ['a path the server uses', ['--path', '/api'], {}, /--path must not be \/api/],
    ['a key with a slash', ['--key', 'a/b'], {}, /--key must be 1 to 64/],
    [
      'an origin with a path',
      ['--allowed-origins', 'https://a.example/app'],
      {},
      /"https:\/\/a.example\/app" is not an origin/,
    ],
    [
      'an origin without a scheme',
      [],
      { RTC_ROOM_ALLOWED_ORIGINS: 'a.example' },
      /RTC_ROOM_ALLOWED_ORIGINS: "a.example" is not an origin/,
    ],
    ['* inside a list', ['--allowed-origins', 'https://a.example,*'], {}, /"\*" must stand alone/],
    ['an empty origin list', ['--allowed-origins', ' , '], {}, /lists no origin/],
    [
      'a certificate without a key',
      ['--tls-cert', '/tls/cert.pem'],
      {},
      /--tls-cert needs --tls-key/,
    ],
    [
      'a key without a certificate',
      [],
      { RTC_ROOM_TLS_KEY: '/tls/key.pem' },
      /RTC_ROOM_TLS_KEY needs --tls-cert/,
    ],
    [
      'an unreadable certificate',
      ['--tls-cert', '/nope.pem', '--tls-key', '/tls/key.pem'],
      {},
      /--tls-cert: cannot read "\/nope.pem": ENOENT/,
    ],
    [
      'a room size below 2',
      ['--max-room-size', '1'],
      {},
      /--max-room-size must be a whole number from 2 to 100/,
    ],
    [
      'a mesh room larger than 8',
      ['--max-room-size', '9'],
      {},
      /a mesh room holds at most 8: larger rooms need --janus-url/,
    ],
    [
      'a Janus secret without --janus-url',
      [],
      { RTC_ROOM_JANUS_ADMIN_KEY: 'admin' },
      /RTC_ROOM_JANUS_ADMIN_KEY needs --janus-url/,
    ],
    [
      '--janus-url without its secrets',
      ['--janus-url', 'ws://janus:8188'],
      { RTC_ROOM_JANUS_API_SECRET: 'api' },
      /--janus-url \(RTC_ROOM_JANUS_URL\) needs --janus-token-secret/,
    ],
    [
      '--janus-url that is not a WebSocket URL',
      ['--janus-url', 'http://janus:8088'],
      JANUS_SECRETS,
      /"http:\/\/janus:8088" is not a ws: or wss: URL/,
    ],
    [
      'public URLs that do not match the instances',
      ['--janus-url', 'ws://a:8188,ws://b:8188', '--janus-public-url', 'wss://a.example.com'],
      JANUS_SECRETS,
      /lists 1 URLs for 2 Janus instances/,
    ],
    [
      '--sfu-from past the room size',
      ['--janus-url', 'ws://a:8188', '--max-room-size', '10', '--sfu-from', '12'],
      JANUS_SECRETS,
      /--sfu-from is 12, more than a room holds \(10\)/,
    ],
    [
      'a room size that is not a number',
      ['--max-room-size', 'eight'],
      {},
      /--max-room-size must be a whole number/,
    ],
    [
      '--ice with another word than none',
      ['--ice', 'off'],
      {},
      /--ice takes only "none", not "off"/,
    ],
    [
      '--ice none with --ice-servers',
      ['--ice', 'none', '--ice-servers', '[]'],
      {},
      /--ice-servers and --ice=none contradict/,
    ],
    [
      '--ice-servers that is not JSON',
      ['--ice-servers', 'stun:x'],
      {},
      /--ice-servers must be a JSON array .*not valid JSON/,
    ],
    [
      '--ice-servers that is not an array',
      ['--ice-servers', '{"urls":"stun:x"}'],
      {},
      /not an array/,
    ],
    ['--ice-servers entry without urls', ['--ice-servers', '[{}]'], {}, /entry 0 has no "urls"/],
    [
      '--ice-servers with an http URL',
      ['--ice-servers', '[{"urls":"http://x"}]'],
      {},
      /"http:\/\/x" is not a stun:/,
    ],
    [
      '--ice-servers TURN without credentials',
      ['--ice-servers', '[{"urls":"turn:x"}]'],
      {},
      /TURN server without "username" and "credential"/,
    ],
    [
      '--ice-servers with a numeric username',
      ['--ice-servers', '[{"urls":"stun:x","username":1}]'],
      {},
      /"username" is not a string/,
    ],
    [
      '--turn-secret without --turn-urls',
      ['--turn-secret', 's'],
      {},
      /--turn-secret needs --turn-urls/,
    ],
    [
      '--turn-urls without --turn-secret',
      [],
      { RTC_ROOM_TURN_URLS: 'turn:x' },
      /RTC_ROOM_TURN_URLS needs --turn-secret/,
    ],
    ['--turn-ttl without TURN', ['--turn-ttl', '600'], {}, /--turn-ttl needs --turn-secret/],
    [
      'a STUN URL in --turn-urls',
      ['--turn-secret', 's', '--turn-urls', 'stun:x'],
      {},
      /"stun:x" is not a turn: or turns: URL/,
    ],
    ['a short join secret', ['--join-secret', 'short'], {}, /at least 32 characters/],
    ['a limit of 0', ['--max-connections-per-ip', '0'], {}, /from 1 to/],
    ['an unknown log level', ['--log-level', 'loud'], {}, /--log-level must be one of/],
    [
      'a word for --allow-no-origin',
      [],
      { RTC_ROOM_ALLOW_NO_ORIGIN: 'perhaps' },
      /must be true or false/,
    ],
    [
      'a --turn-ttl under a minute',
      ['--turn-secret', 's', '--turn-urls', 'turn:x', '--turn-ttl', '5'],
      {},
      /--turn-ttl must be a whole number from 60 to 604800/,
    ],
  ];
  for (const [name, argv, env, message] of errors) {
    test(`refuses ${name}`, () => {
      assert.throws(
        () => parse(argv, env),
        (error) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }
});
