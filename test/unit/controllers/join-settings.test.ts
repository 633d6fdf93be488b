import { expect } from '@open-wc/testing';
import { readJoinSettings, type JoinAttributes } from '../../../src/controllers/join-settings.js';

const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';
const SCRIPT = 'https://rtc.example.com/rtc-room.js';

/** A JWT with these claims (unsigned: the element only reads them). */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return `${part({ alg: 'HS256' })}.${part(claims)}.c2ln`;
}

const attributes = (extra: Partial<JoinAttributes> = {}): JoinAttributes => ({
  roomId: ROOM,
  server: null,
  iceServers: null,
  token: null,
  ...extra,
});

describe('readJoinSettings', () => {
  const refusals: Array<[string, Partial<JoinAttributes>, string]> = [
    ['a server that is not http(s)', { server: 'ftp://x' }, 'bad-server'],
    ['a token that is not a JWT', { token: 'not a token' }, 'unauthorized'],
    ['a token for another room', { token: token({ room: 'another' }) }, 'unauthorized'],
  ];
  for (const [title, extra, code] of refusals) {
    it(`stops a join with ${title} (${code})`, () => {
      const { settings } = readJoinSettings(attributes(extra), SCRIPT);
      expect(settings.ok).to.equal(false);
      if (!settings.ok) expect(settings.error.code).to.equal(code);
    });
  }

  it('defaults to the script’s origin, the server’s ICE servers and no token', () => {
    const { settings, iceError } = readJoinSettings(attributes(), SCRIPT);
    expect(iceError).to.equal(null);
    expect(settings.ok && settings.value.server.origin).to.equal('https://rtc.example.com');
    expect(settings.ok && settings.value.iceServers).to.equal(null);
    expect(settings.ok && settings.value.token).to.equal(null);
  });

  it('reads the page’s ICE servers and a token for this room', () => {
    const { settings } = readJoinSettings(
      attributes({
        iceServers: '[{"urls":"stun:stun.example.com"}]',
        token: token({ room: ROOM, name: 'Ada' }),
      }),
      SCRIPT,
    );
    const iceServers = settings.ok ? settings.value.iceServers : null;
    expect(iceServers?.map((server) => server.urls)).to.deep.equal([['stun:stun.example.com']]);
    expect(settings.ok && settings.value.token?.name).to.equal('Ada');
  });

  it('goes on without bad ICE servers, saying why, even when the join stops for another reason', () => {
    const fine = readJoinSettings(attributes({ iceServers: 'not json' }), SCRIPT);
    expect(fine.iceError?.code).to.equal('bad-ice-servers');
    expect(fine.settings.ok && fine.settings.value.iceServers).to.equal(null);
    const stopped = readJoinSettings(
      attributes({ iceServers: 'not json', server: 'ftp://x' }),
      SCRIPT,
    );
    expect(stopped.iceError?.code).to.equal('bad-ice-servers');
    expect(stopped.settings.ok).to.equal(false);
  });
});
