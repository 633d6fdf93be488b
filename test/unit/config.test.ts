import { expect } from '@open-wc/testing';
import {
  MAX_ICE_SERVERS,
  parseIceServers,
  parseIceTransportPolicy,
  parseLayout,
  parseBackground,
  parseNoiseSuppression,
  parseServerUrl,
  parseToken,
  type Layout,
  type NoiseSuppression,
} from '../../src/config.js';

const SCRIPT_URL = 'https://rtc.example.com/assets/rtc-room.js';

describe('config', () => {
  describe('parseIceServers', () => {
    const turn = { urls: 'turn:turn.example.com:3478', username: 'u', credential: 'c' };

    const accepted: Array<[string, string | null, RTCIceServer[] | null]> = [
      ['no attribute means ask the server', null, null],
      ['an empty attribute means ask the server', '  ', null],
      ['an empty array means no ICE servers', '[]', []],
      [
        'a STUN URL',
        '[{"urls":"stun:stun.example.com:3478"}]',
        [{ urls: ['stun:stun.example.com:3478'], username: undefined, credential: undefined }],
      ],
      [
        'TURN with credentials',
        JSON.stringify([turn]),
        [{ urls: ['turn:turn.example.com:3478'], username: 'u', credential: 'c' }],
      ],
      [
        'several URLs in one entry, turns: and mixed case',
        JSON.stringify([
          { urls: ['STUN:a.test', 'turns:b.test:443'], username: 'u', credential: 'c' },
        ]),
        [{ urls: ['STUN:a.test', 'turns:b.test:443'], username: 'u', credential: 'c' }],
      ],
      [
        `${MAX_ICE_SERVERS} entries`,
        JSON.stringify(Array.from({ length: MAX_ICE_SERVERS }, () => ({ urls: 'stun:a.test' }))),
        Array.from({ length: MAX_ICE_SERVERS }, () => ({
          urls: ['stun:a.test'],
          username: undefined,
          credential: undefined,
        })),
      ],
    ];
    for (const [name, input, expected] of accepted) {
      it(`accepts ${name}`, () => {
        const parsed = parseIceServers(input);
        expect(parsed).to.deep.equal({ ok: true, value: expected });
      });
    }

    const refused: Array<[string, string, RegExp]> = [
      ['invalid JSON', 'not json', /JSON/],
      ['an object instead of an array', '{"urls":"stun:a.test"}', /array/],
      [
        `more than ${MAX_ICE_SERVERS} entries`,
        JSON.stringify(
          Array.from({ length: MAX_ICE_SERVERS + 1 }, () => ({ urls: 'stun:a.test' })),
        ),
        /more than/,
      ],
      ['an entry that is not an object', '["stun:a.test"]', /\[0\] must be an object/],
      ['an entry that is null', '[null]', /\[0\] must be an object/],
      ['an entry without urls', '[{}]', /urls/],
      ['an empty urls array', '[{"urls":[]}]', /urls/],
      ['an http URL', '[{"urls":"https://a.test"}]', /not a stun: or turn: URL/],
      ['a URL with a space', '[{"urls":"stun:a.test bad"}]', /not a stun: or turn: URL/],
      ['a number among the URLs', '[{"urls":["stun:a.test",3]}]', /not a stun: or turn: URL/],
      ['TURN without credentials', '[{"urls":"turn:a.test"}]', /needs username and credential/],
      [
        'TURN without a credential',
        '[{"urls":"turn:a.test","username":"u"}]',
        /needs username and credential/,
      ],
      [
        'a TURN URL hidden among STUN URLs, without credentials',
        '[{"urls":["stun:a.test","turns:b.test"]}]',
        /needs username and credential/,
      ],
      [
        'a non-string username',
        '[{"urls":"stun:a.test","username":5}]',
        /username must be a string/,
      ],
      [
        'a non-string credential',
        '[{"urls":"turn:a.test","username":"u","credential":{}}]',
        /credential must be a string/,
      ],
      [
        'a good entry followed by a bad one, naming the bad one',
        '[{"urls":"stun:a.test"},{"urls":"ftp:b.test"}]',
        /ice-servers\[1\]/,
      ],
    ];
    for (const [name, input, message] of refused) {
      it(`refuses ${name} with bad-ice-servers`, () => {
        const parsed = parseIceServers(input);
        if (parsed.ok) throw new Error(`accepted ${input}`);
        expect(parsed.error.code).to.equal('bad-ice-servers');
        expect(parsed.error.message).to.match(message);
      });
    }
  });

  describe('parseServerUrl', () => {
    const accepted: Array<[string, string | null, string]> = [
      ['defaults to the origin the script came from', null, 'https://rtc.example.com/'],
      ['defaults to the script origin for an empty value', '  ', 'https://rtc.example.com/'],
      ['keeps an absolute https URL', 'https://other.test:8443', 'https://other.test:8443/'],
      ['keeps an http URL on loopback', 'http://127.0.0.1:9000', 'http://127.0.0.1:9000/'],
      ['resolves a relative URL against the script', '/rtc', 'https://rtc.example.com/'],
      ['trims spaces', ' https://other.test ', 'https://other.test/'],
    ];
    for (const [name, input, expected] of accepted) {
      it(name, () => {
        const parsed = parseServerUrl(input, SCRIPT_URL);
        if (!parsed.ok) throw parsed.error;
        expect(parsed.value.href).to.equal(expected);
      });
    }

    const refused: Array<[string, string]> = [
      ['an ftp URL', 'ftp://x'],
      ['a ws URL', 'ws://x.test'],
      ['a javascript: URL', 'javascript:alert(1)'],
      ['a data: URL', 'data:text/plain,hi'],
      ['a URL without a host', 'http://'],
    ];
    for (const [name, input] of refused) {
      it(`refuses ${name} with bad-server`, () => {
        const parsed = parseServerUrl(input, SCRIPT_URL);
        if (parsed.ok) throw new Error(`accepted ${input}`);
        expect(parsed.error.code).to.equal('bad-server');
      });
    }
  });

  describe('parseBackground', () => {
    it('reads none, blur, and anything else as a picture’s URL; empty or missing is none', () => {
      expect(parseBackground('blur')).to.equal('blur');
      expect(parseBackground(' none ')).to.equal('none');
      expect(parseBackground('')).to.equal('none');
      expect(parseBackground('   ')).to.equal('none');
      expect(parseBackground(null)).to.equal('none');
      expect(parseBackground(' https://example.com/beach.jpg ')).to.equal(
        'https://example.com/beach.jpg',
      );
    });
  });

  describe('parseNoiseSuppression', () => {
    const warnings: unknown[][] = [];
    const consoleWarn = console.warn;
    beforeEach(() => {
      warnings.length = 0;
      console.warn = (...args: unknown[]) => warnings.push(args);
    });
    afterEach(() => {
      console.warn = consoleWarn;
    });

    const cases: Array<[string | null, NoiseSuppression, boolean]> = [
      ['browser', 'browser', false],
      ['strong', 'strong', false],
      ['off', 'off', false],
      [null, 'browser', false],
      ['Strong', 'browser', true],
      ['rnnoise', 'browser', true],
      ['', 'browser', true],
    ];
    for (const [input, expected, warns] of cases) {
      it(`reads noise-suppression ${JSON.stringify(input)} as ${expected}${warns ? ', with a warning' : ''}`, () => {
        expect(parseNoiseSuppression(input)).to.equal(expected);
        expect(warnings).to.have.length(warns ? 1 : 0);
        if (warns) expect(String(warnings[0][0])).to.include(`"${input}"`);
      });
    }
  });

  describe('parseLayout', () => {
    const cases: Array<[string | null, Layout]> = [
      ['grid', 'grid'],
      ['speaker', 'speaker'],
      ['sidebar', 'sidebar'],
      ['Speaker', 'grid'],
      ['mosaic', 'grid'],
      ['', 'grid'],
      [null, 'grid'],
    ];
    for (const [input, expected] of cases) {
      it(`reads layout ${JSON.stringify(input)} as ${expected}`, () => {
        expect(parseLayout(input)).to.equal(expected);
      });
    }
  });

  describe('parseIceTransportPolicy', () => {
    const cases: Array<[string | null, RTCIceTransportPolicy]> = [
      ['relay', 'relay'],
      ['all', 'all'],
      ['RELAY', 'all'],
      ['bogus', 'all'],
      ['', 'all'],
      [null, 'all'],
    ];
    for (const [input, expected] of cases) {
      it(`reads ice-transport-policy ${JSON.stringify(input)} as ${expected}`, () => {
        expect(parseIceTransportPolicy(input)).to.equal(expected);
      });
    }
  });

  describe('parseToken', () => {
    const encode = (value: unknown) =>
      btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
        .replaceAll('+', '-')
        .replaceAll('/', '_')
        .replace(/=+$/, '');
    const jwt = (claims: unknown) => `${encode({ alg: 'HS256' })}.${encode(claims)}.c2lnbmF0dXJl`;

    it('reads no attribute as no token', () => {
      expect(parseToken(null)).to.deep.equal({ ok: true, value: null });
      expect(parseToken('  ')).to.deep.equal({ ok: true, value: null });
    });

    it('reads the room, name and expiry a token claims', () => {
      const token = jwt({ room: 'room-1234', name: '张伟 ✓', exp: 1_700_000_000 });
      expect(parseToken(` ${token} `)).to.deep.equal({
        ok: true,
        value: { value: token, roomId: 'room-1234', name: '张伟 ✓', expiresAt: 1_700_000_000_000 },
      });
    });

    it('leaves out claims of the wrong type', () => {
      const parsed = parseToken(jwt({ room: 5, name: null, exp: 'soon' }));
      expect(parsed.ok && parsed.value).to.deep.include({
        roomId: null,
        name: null,
        expiresAt: null,
      });
    });

    const refused: Array<[string, string]> = [
      ['a word', 'secret'],
      ['two parts', 'a.b'],
      ['a payload that is not JSON', `${encode({})}.bm90IGpzb24.c2ln`],
      ['a payload that is a JSON array', jwt([1, 2])],
      ['characters outside base64url', 'a+b.c/d.e'],
      ['a token far too long', jwt({ room: 'x'.repeat(5000) })],
    ];
    for (const [name, value] of refused) {
      it(`refuses ${name} as unauthorized`, () => {
        const parsed = parseToken(value);
        expect(parsed.ok).to.equal(false);
        if (!parsed.ok) expect(parsed.error.code).to.equal('unauthorized');
      });
    }
  });
});
