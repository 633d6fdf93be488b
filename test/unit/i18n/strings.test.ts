import { expect } from '@open-wc/testing';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import {
  loadErrorStrings,
  loadStrings,
  stringsFor,
  type Strings,
} from '../../../src/i18n/strings.js';
import type { RoomErrorCode } from '../../../src/errors.js';

// The compiler checks each table against RoomErrorCode; these are the codes the element's
// contract names, which must keep a sentence.
const CONTRACT_CODES: RoomErrorCode[] = [
  'permission-denied',
  'no-device',
  'room-full',
  'server-unreachable',
  'unauthorized',
  'bad-room-id',
  'bad-ice-servers',
  'bad-server',
];

/** Every text of a table by its path (`errors.internal`), calling functions with 2. */
function texts(value: unknown, path = ''): Array<[string, unknown]> {
  if (typeof value === 'function') return [[path, (value as (n: number) => unknown)(2)]];
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) =>
      texts(inner, path ? `${path}.${key}` : key),
    );
  }
  return [[path, value]];
}

describe('strings', () => {
  // English's errors load before the first one shows.
  before(() => loadErrorStrings());

  describe('loadStrings', () => {
    it('has English at once and loads Chinese once, however often it is asked', async () => {
      expect(loadStrings('en-GB')).to.equal(null);
      expect(loadStrings(undefined)).to.equal(null);
      const first = loadStrings('zh-CN');
      expect(first).to.be.instanceOf(Promise);
      expect(loadStrings('zh-TW')).to.equal(first);
      await first;
      expect(loadStrings('zh')).to.equal(null);
      expect(stringsFor('zh-CN')).to.equal(LANGUAGES['zh-CN']);
    });
  });

  describe('stringsFor', () => {
    before(() => loadStrings('zh-CN'));

    const cases: Array<[string | null | undefined, Strings]> = [
      ['en', LANGUAGES.en],
      ['zh-CN', LANGUAGES['zh-CN']],
      ['zh-cn', LANGUAGES['zh-CN']],
      ['ZH-CN', LANGUAGES['zh-CN']],
      ['zh-TW', LANGUAGES['zh-CN']],
      ['zh', LANGUAGES['zh-CN']],
      ['en-GB', LANGUAGES.en],
      ['EN-us', LANGUAGES.en],
      ['fr', LANGUAGES.en],
      ['de-DE', LANGUAGES.en],
      ['', LANGUAGES.en],
      [null, LANGUAGES.en],
      [undefined, LANGUAGES.en],
    ];
    for (const [tag, expected] of cases) {
      const language = expected === LANGUAGES.en ? 'English' : 'Chinese';
      it(`speaks ${language} for ${JSON.stringify(tag) ?? 'undefined'}`, () => {
        expect(stringsFor(tag)).to.equal(expected);
      });
    }
  });

  for (const [tag, table] of Object.entries(LANGUAGES)) {
    describe(`the ${tag} table`, () => {
      it('has every text English has, each a non-empty string', () => {
        const own = new Map(texts(table));
        const english = texts(LANGUAGES.en).map(([path]) => path);
        expect([...own.keys()]).to.have.members(english);
        for (const [path, text] of own) {
          expect(text, path).to.be.a('string').with.length.above(0);
        }
      });

      it('has a sentence for every error code English has, and for the contract’s codes', () => {
        const codes = Object.keys(LANGUAGES.en.errors) as RoomErrorCode[];
        expect(codes).to.include.members(CONTRACT_CODES);
        expect(Object.keys(table.errors)).to.have.members(codes);
        for (const code of codes)
          expect(table.errors[code], code).to.be.a('string').with.length.above(0);
      });

      it('counts participants with the number in the text', () => {
        expect(table.participants(3)).to.contain('3');
        expect(table.participants(1)).to.contain('1');
      });
    });
  }

  it('really translates zh-CN rather than copying English', () => {
    const zh = new Map(texts(LANGUAGES['zh-CN']));
    const same = texts(LANGUAGES.en)
      .filter(([path, text]) => zh.get(path) === text)
      .map(([path]) => path);
    expect(same).to.deep.equal([]);
  });
});
