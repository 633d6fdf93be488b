import { expect } from '@open-wc/testing';
import { splitLinks, type TextSegment } from '../../../src/chat/links.js';

const t = (text: string): TextSegment => ({ kind: 'text', text });
const l = (text: string, href = new URL(text).href): TextSegment => ({ kind: 'link', text, href });

describe('splitLinks', () => {
  const cases: Array<[string, string, TextSegment[]]> = [
    ['keeps plain text as one segment', 'no links here', [t('no links here')]],
    ['finds a link alone', 'https://example.com', [l('https://example.com')]],
    [
      'finds a link inside text',
      'see https://example.com/a?b=1#c now',
      [t('see '), l('https://example.com/a?b=1#c'), t(' now')],
    ],
    ['takes http as well', 'http://example.com/x', [l('http://example.com/x')]],
    [
      'leaves a full stop after a link',
      'go to https://example.com.',
      [t('go to '), l('https://example.com'), t('.')],
    ],
    [
      'leaves a comma and an exclamation after links',
      'https://a.example/x, https://b.example!',
      [l('https://a.example/x'), t(', '), l('https://b.example'), t('!')],
    ],
    [
      'leaves a closing bracket the link did not open',
      '(see https://example.com/x)',
      [t('(see '), l('https://example.com/x'), t(')')],
    ],
    [
      'keeps a bracket that belongs to the address',
      'https://en.wikipedia.org/wiki/Lit_(library) is it',
      [l('https://en.wikipedia.org/wiki/Lit_(library)'), t(' is it')],
    ],
    [
      'stops at Chinese punctuation with no space',
      '看这个https://example.com/页面。',
      [t('看这个'), l('https://example.com/'), t('页面。')],
    ],
    ['does not link javascript:', 'javascript:alert(1)', [t('javascript:alert(1)')]],
    ['does not link data:', 'data:text/html,<b>x</b>', [t('data:text/html,<b>x</b>')]],
    ['does not link ftp:', 'ftp://example.com/file', [t('ftp://example.com/file')]],
    ['does not link a scheme without a host', 'https://', [t('https://')]],
    [
      'does not link an address glued to a word',
      'xhttps://example.com',
      [t('xhttps://example.com')],
    ],
    [
      'keeps markup around a link as text',
      '<a href="https://evil.example">x</a>',
      [t('<a href="'), l('https://evil.example'), t('">x</a>')],
    ],
    [
      'uses the normalised address as href',
      'HTTPS://Example.COM/Path',
      [l('HTTPS://Example.COM/Path', 'https://example.com/Path')],
    ],
    ['keeps empty text empty', '', []],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(splitLinks(input)).to.deep.equal(expected);
    });
  }

  it('gives back the whole text when the segments are joined', () => {
    const input = 'a https://x.example/(y) b, http://z.example. c';
    expect(
      splitLinks(input)
        .map((s) => s.text)
        .join(''),
    ).to.equal(input);
  });
});
