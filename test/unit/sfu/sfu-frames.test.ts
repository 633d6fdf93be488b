import { expect } from '@open-wc/testing';
import { EVERYONE, unwrapFrame, wrapFrame } from '../../../src/sfu/sfu-frames.js';

describe('frames through Janus', () => {
  it('carry text and binary with whom they are from and for', () => {
    const text = wrapFrame({ from: 'room-1_a', to: EVERYONE, data: '{"type":"hello"}' });
    expect(unwrapFrame(text)).to.deep.equal({
      from: 'room-1_a',
      to: EVERYONE,
      data: '{"type":"hello"}',
    });
    const bytes = new Uint8Array([1, 2, 3, 10, 0]).buffer;
    const binary = unwrapFrame(wrapFrame({ from: 'room-1_a', to: 'room-1_b', data: bytes }));
    expect(binary?.to).to.equal('room-1_b');
    expect([...new Uint8Array(binary!.data as ArrayBuffer)]).to.deep.equal([1, 2, 3, 10, 0]);
  });

  for (const [what, raw] of [
    ['text without addresses', 'hello'],
    ['text with one line break', 'room-1_a\nhello'],
    ['a sender that claims to be everyone', '*\nroom-1_b\n{}'],
    ['an address with a space', 'room 1\nroom-1_b\n{}'],
    ['binary shorter than its header says', new Uint8Array([0, 9, 65]).buffer],
    ['binary with one address', new Uint8Array([0, 1, 65]).buffer],
    ['a number', 7],
  ] as const) {
    it(`refuses ${what}`, () => {
      expect(unwrapFrame(raw)).to.equal(null);
    });
  }
});
