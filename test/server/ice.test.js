import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import { DEFAULT_ICE_SERVERS, DEFAULT_TURN_TTL } from '../../server/config.js';
import { iceResponse, turnCredential } from '../../server/ice.js';
import { getJson, startServer } from './support.js';

const SECRET = 'pickled-herring-7f3a9c';
const TURN_FLAGS = [
  '--turn-secret',
  SECRET,
  '--turn-urls',
  'turn:127.0.0.1:3478,turns:turn.example:5349',
];

describe('ICE configuration', () => {
  test('a TURN credential is base64(HMAC-SHA1(secret, username))', () => {
    const expected = createHmac('sha1', 'north').update('1600000000:alice').digest('base64');
    assert.equal(turnCredential('north', '1600000000:alice'), expected);
    // printf '%s' '1600000000:alice' | openssl dgst -sha1 -hmac north -binary | base64
    assert.equal(turnCredential('north', '1600000000:alice'), 'gq98pTOhhHaAu0we9aV79kOVVv0=');
  });

  test('without a TURN secret the static servers come back with no expiry', () => {
    const iceServers = [{ urls: 'stun:stun.example:3478' }];
    assert.deepEqual(iceResponse({ iceServers, turn: null }), {
      iceServers,
      expiresAt: null,
      ttl: null,
    });
  });

  test('a TURN credential expires ttl seconds from now', () => {
    const now = Date.UTC(2030, 0, 1);
    const turn = { secret: 'north', urls: ['turn:turn.example:3478'], ttl: 600 };
    const { iceServers, expiresAt, ttl } = iceResponse({ iceServers: [], turn }, now);
    const [relay] = iceServers;
    assert.equal(ttl, 600);
    assert.equal(expiresAt, now + 600_000);
    assert.match(String(relay.username), new RegExp(`^${now / 1000 + 600}:[0-9a-f]{8}$`));
    assert.equal(relay.credential, turnCredential('north', String(relay.username)));
  });

  test('/api/ice hands out public STUN servers by default, never cached', async (t) => {
    const { origin } = await startServer(t);
    const { response, body } = await getJson(`${origin}/api/ice`);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(body, { iceServers: DEFAULT_ICE_SERVERS, expiresAt: null, ttl: null });
    assert.deepEqual(
      body.iceServers.map((/** @type {{ urls: string }} */ server) => server.urls),
      ['stun:stun.l.google.com:19302', 'stun:stun.cloudflare.com:3478'],
    );
  });

  test('/api/ice hands out no server at all with --ice none', async (t) => {
    const { origin } = await startServer(t, ['--ice', 'none']);
    const { body } = await getJson(`${origin}/api/ice`);
    assert.deepEqual(body, { iceServers: [], expiresAt: null, ttl: null });
  });

  test('/api/ice hands out the servers given with --ice-servers', async (t) => {
    const servers = [{ urls: ['turn:relay.example:3478'], username: 'u', credential: 'p' }];
    const { origin } = await startServer(t, ['--ice-servers', JSON.stringify(servers)]);
    /** @type {import('./support.js').JsonAnswer<import('./support.js').IceAnswer>} */
    const { body } = await getJson(`${origin}/api/ice`);
    assert.deepEqual(body.iceServers, servers);
  });

  test('/api/ice adds a fresh short-lived TURN credential beside the STUN servers', async (t) => {
    const { origin } = await startServer(t, TURN_FLAGS);
    const before = Date.now();
    /** @type {import('./support.js').JsonAnswer<import('./support.js').IceAnswer>} */
    const { body } = await getJson(`${origin}/api/ice`);
    /** @type {import('./support.js').JsonAnswer<import('./support.js').IceAnswer>} */
    const { body: again } = await getJson(`${origin}/api/ice`);

    assert.deepEqual(body.iceServers.slice(0, 2), DEFAULT_ICE_SERVERS);
    const relay = body.iceServers[2];
    assert.deepEqual(relay.urls, ['turn:127.0.0.1:3478', 'turns:turn.example:5349']);
    const { username } = relay;
    assert.ok(username);
    const [expiry, id] = username.split(':');
    assert.match(username, /^\d+:[0-9a-f]{8}$/);
    assert.equal(relay.credential, createHmac('sha1', SECRET).update(username).digest('base64'));
    assert.equal(body.ttl, DEFAULT_TURN_TTL);
    assert.equal(body.expiresAt, Number(expiry) * 1000);
    const expected = before / 1000 + DEFAULT_TURN_TTL;
    assert.ok(Math.abs(Number(expiry) - expected) <= 2, `expiry ${expiry} is about now + ttl`);
    const { username: other } = again.iceServers[2];
    assert.ok(other);
    assert.notEqual(other.split(':')[1], id, 'each request gets its own username');
  });

  test('--turn-ttl sets the credential lifetime', async (t) => {
    const { origin } = await startServer(t, [...TURN_FLAGS, '--turn-ttl', '120']);
    /** @type {import('./support.js').JsonAnswer<import('./support.js').IceAnswer>} */
    const { body } = await getJson(`${origin}/api/ice`);
    assert.equal(body.ttl, 120);
    assert.ok(body.expiresAt !== null && Math.abs(body.expiresAt - (Date.now() + 120_000)) <= 2000);
  });

  test('the TURN secret never appears in any response body or header', async (t) => {
    const { origin } = await startServer(t, TURN_FLAGS);
    const paths = [
      '/api/ice',
      '/api/config',
      '/api/health',
      '/api/rooms/abcdefgh-1234/peers',
      '/api/nope',
      '/peerjs',
      '/peerjs/peerjs/id',
    ];
    for (const path of paths) {
      const response = await fetch(`${origin}${path}`);
      const raw = [...response.headers].flat().join('\n') + (await response.text());
      assert.equal(raw.includes(SECRET), false, path);
    }
  });

  test('/api/ice answers an allowed origin and refuses another without a credential', async (t) => {
    const { origin } = await startServer(t, [
      ...TURN_FLAGS,
      '--allowed-origins',
      'https://app.example',
    ]);
    const allowed = await fetch(`${origin}/api/ice`, {
      headers: { origin: 'https://app.example' },
    });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(allowed.status, 200);
    const refused = await fetch(`${origin}/api/ice`, {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(refused.status, 403);
    const body = await refused.text();
    assert.equal(body.includes('credential'), false, body);
  });
});
