import { expect } from '@open-wc/testing';
import { TokenExpiredError } from '../../../src/errors.js';
import { ServerApi } from '../../../src/room/server-api.js';
import { rejection } from '../support/rejection.js';

const BASE = new URL('https://rtc.example.com');

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch that answers every request with `answer(url)` and records the calls. */
function fakeFetch(answer: (url: string) => Response | Promise<Response>): typeof fetch & {
  calls: Call[];
} {
  const calls: Call[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    calls.push({ url, init });
    return answer(url);
  };
  return Object.assign(fn, { calls });
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

describe('ServerApi', () => {
  it('reads the PeerServer path and key from /api/config', async () => {
    const fetch = fakeFetch(() => json({ peer: { path: '/peerjs', key: 'k1' }, maxRoomSize: 6 }));
    const api = new ServerApi(BASE, fetch);
    expect(await api.config()).to.deep.equal({ peer: { path: '/peerjs', key: 'k1' } });
    expect(fetch.calls[0].url).to.equal('https://rtc.example.com/api/config');
    expect(fetch.calls[0].init?.credentials).to.equal('omit');
  });

  it('reads ICE servers and their expiry from /api/ice', async () => {
    const iceServers = [
      { urls: ['stun:127.0.0.1:3478'] },
      { urls: ['turn:127.0.0.1:3478'], username: '1700000000:u', credential: 'c' },
    ];
    const fetch = fakeFetch(() => json({ iceServers, expiresAt: 1700000000000 }));
    const api = new ServerApi(BASE, fetch);
    expect(await api.ice()).to.deep.equal({ iceServers, expiresAt: 1700000000000 });
    expect(fetch.calls[0].url).to.equal('https://rtc.example.com/api/ice');
  });

  it('reads a missing expiry as null', async () => {
    const api = new ServerApi(
      BASE,
      fakeFetch(() => json({ iceServers: [] })),
    );
    expect(await api.ice()).to.deep.equal({ iceServers: [], expiresAt: null });
  });

  it('lists the peers of one room, keeping only strings', async () => {
    const fetch = fakeFetch(() => json({ peers: ['room1234_a', 7, null, 'room1234_b'] }));
    const api = new ServerApi(BASE, fetch);
    expect(await api.roomPeers('room1234')).to.deep.equal(['room1234_a', 'room1234_b']);
    expect(fetch.calls[0].url).to.equal('https://rtc.example.com/api/rooms/room1234/peers');
  });

  it('escapes the room ID in the URL', async () => {
    const fetch = fakeFetch(() => json({ peers: [] }));
    await new ServerApi(BASE, fetch).roomPeers('../admin?x=1');
    expect(fetch.calls[0].url).to.equal(
      'https://rtc.example.com/api/rooms/..%2Fadmin%3Fx%3D1/peers',
    );
  });

  it('reports a network failure as server-unreachable', async () => {
    const api = new ServerApi(
      BASE,
      fakeFetch(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    const error = await rejection(api.config());
    expect(error.code).to.equal('server-unreachable');
    expect(error.message).to.contain('https://rtc.example.com');
    expect(error.cause).to.be.instanceOf(TypeError);
  });

  it('reports a refused connection from a real fetch as server-unreachable', async () => {
    // Port 9 is closed here (and on Chromium's blocked-port list): fetch fails fast.
    const error = await rejection(new ServerApi(new URL('http://127.0.0.1:9')).ice());
    expect(error.code).to.equal('server-unreachable');
  });

  it('reports a 400 as bad-room-id with the server’s message', async () => {
    const api = new ServerApi(
      BASE,
      fakeFetch(() => json({ message: 'room IDs have 8 to 64 characters' }, 400)),
    );
    const error = await rejection(api.roomPeers('short'));
    expect(error.code).to.equal('bad-room-id');
    expect(error.message).to.equal('room IDs have 8 to 64 characters');
  });

  it('falls back to a message naming the status when the server gives none', async () => {
    const api = new ServerApi(
      BASE,
      fakeFetch(() => new Response('nope', { status: 400 })),
    );
    const error = await rejection(api.roomPeers('short'));
    expect(error.code).to.equal('bad-room-id');
    expect(error.message).to.contain('400');
  });

  for (const status of [401, 403]) {
    it(`reports a ${status} as unauthorized`, async () => {
      const api = new ServerApi(
        BASE,
        fakeFetch(() => json({ message: 'no' }, status)),
      );
      const error = await rejection(api.config());
      expect(error.code).to.equal('unauthorized');
    });
  }

  for (const status of [404, 500, 503]) {
    it(`reports a ${status} as server-unreachable`, async () => {
      const api = new ServerApi(
        BASE,
        fakeFetch(() => json({}, status)),
      );
      expect((await rejection(api.config())).code).to.equal('server-unreachable');
    });
  }

  const malformed: Array<[string, (api: ServerApi) => Promise<unknown>, () => Response]> = [
    ['config that is not JSON', (api) => api.config(), () => new Response('<html>')],
    ['config that is a JSON array', (api) => api.config(), () => json([])],
    ['config without peer', (api) => api.config(), () => json({ maxRoomSize: 4 })],
    [
      'config with a numeric key',
      (api) => api.config(),
      () => json({ peer: { path: '/p', key: 1 } }),
    ],
    ['ice without iceServers', (api) => api.ice(), () => json({ servers: [] })],
    ['ice with iceServers as an object', (api) => api.ice(), () => json({ iceServers: {} })],
    ['a room without peers', (api) => api.roomPeers('room1234'), () => json({ people: [] })],
    ['a room that is JSON null', (api) => api.roomPeers('room1234'), () => json(null)],
  ];
  for (const [name, call, answer] of malformed) {
    it(`reports ${name} as bad-server`, async () => {
      const error = await rejection(call(new ServerApi(BASE, fakeFetch(answer))));
      expect(error.code).to.equal('bad-server');
    });
  }

  it('sends the current join token on every call, and none without one', async () => {
    const fetch = fakeFetch(() => json({ peers: [] }));
    let token: string | null = 'first.jwt.token';
    const api = new ServerApi(BASE, fetch, () => token);
    await api.roomPeers('room1234');
    token = 'renewed.jwt.token';
    await api.roomPeers('room1234');
    token = null;
    await api.roomPeers('room1234');
    const sent = fetch.calls.map(
      (call) => (call.init?.headers as Record<string, string>).authorization,
    );
    expect(sent).to.deep.equal(['Bearer first.jwt.token', 'Bearer renewed.jwt.token', undefined]);
  });

  it('tells an expired token apart from a refused one; both are unauthorized', async () => {
    const expired = new ServerApi(
      BASE,
      fakeFetch(() =>
        json({ error: 'token-expired', message: 'The join token has expired.' }, 401),
      ),
    );
    const expiredError = await rejection(expired.roomPeers('room1234'));
    expect(expiredError).to.be.instanceOf(TokenExpiredError);
    expect(expiredError.code).to.equal('unauthorized');
    const refused = new ServerApi(
      BASE,
      fakeFetch(() => json({ error: 'unauthorized', message: 'no' }, 401)),
    );
    const refusedError = await rejection(refused.roomPeers('room1234'));
    expect(refusedError).not.to.be.instanceOf(TokenExpiredError);
    expect(refusedError.code).to.equal('unauthorized');
  });

  it('reports a refused origin (403) as unauthorized', async () => {
    const api = new ServerApi(
      BASE,
      fakeFetch(() => json({ error: 'origin-not-allowed', message: 'no' }, 403)),
    );
    expect((await rejection(api.config())).code).to.equal('unauthorized');
  });

  describe('prefetch', () => {
    const ROOM = 'a1b2c3d4-room';
    const config = { peer: { path: '/peerjs', key: 'k1' } };
    const paths = (fetch: { calls: Call[] }): string[] =>
      fetch.calls.map((call) => new URL(call.url).pathname);

    it('answers the join from the prefetch, once', async () => {
      const expiresAt = Date.now() + 6 * 60 * 60_000;
      const fetch = fakeFetch((url) =>
        json(url.includes('/api/ice') ? { iceServers: [], expiresAt } : config),
      );
      const api = new ServerApi(BASE, fetch);
      api.prefetch(ROOM, { ice: true });
      api.prefetch(ROOM, { ice: true });
      expect(paths(fetch)).to.deep.equal(['/api/config', '/api/ice']);
      expect(await api.config(ROOM)).to.deep.equal(config);
      expect(await api.ice(ROOM)).to.deep.equal({ iceServers: [], expiresAt });
      expect(fetch.calls).to.have.length(2);
      // A later renewal asks the server again.
      await api.ice(ROOM);
      expect(paths(fetch)).to.deep.equal(['/api/config', '/api/ice', '/api/ice']);
    });

    it('leaves ICE to the page when it gives its own', () => {
      const fetch = fakeFetch(() => json(config));
      new ServerApi(BASE, fetch).prefetch(ROOM, { ice: false });
      expect(paths(fetch)).to.deep.equal(['/api/config']);
    });

    it('asks again for credentials that expire within five minutes', async () => {
      const soon = Date.now() + 60_000;
      const later = Date.now() + 60 * 60_000;
      let answers = 0;
      const fetch = fakeFetch(() => json({ iceServers: [], expiresAt: answers++ ? later : soon }));
      const api = new ServerApi(BASE, fetch);
      api.prefetch(ROOM, { ice: true });
      await Promise.resolve();
      expect((await api.ice(ROOM)).expiresAt).to.equal(later);
    });

    it('asks again after a failed prefetch, and reports what the join gets', async () => {
      let answers = 0;
      const fetch = fakeFetch(() =>
        answers++ ? json({ error: 'unauthorized' }, 401) : Promise.reject(new TypeError('offline')),
      );
      const api = new ServerApi(BASE, fetch);
      api.prefetch(ROOM, { ice: false });
      const error = await rejection(api.config(ROOM));
      expect(error.code).to.equal('unauthorized');
      expect(fetch.calls).to.have.length(2);
    });

    it('does not answer with a prefetch made under another token', async () => {
      let token = 'first';
      const fetch = fakeFetch(() => json(config));
      const api = new ServerApi(BASE, fetch, () => token);
      api.prefetch(ROOM, { ice: false });
      token = 'second';
      await api.config(ROOM);
      expect(
        fetch.calls.map((call) => new Headers(call.init?.headers).get('authorization')),
      ).to.deep.equal(['Bearer first', 'Bearer second']);
    });
  });
});
