import { expect } from '@open-wc/testing';
import { remember, remembered } from '../../src/visitor-store.js';

describe('visitor-store', () => {
  afterEach(() => localStorage.clear());

  it('keeps each choice under its own key for the next visit, and nothing empty', () => {
    expect(remembered('background')).to.equal('');
    remember('background', 'blur');
    remember('name', 'Ada');
    remember('host:room-1', 'key');
    remember('name', '');
    expect([remembered('background'), remembered('name'), remembered('host:room-1')]).to.deep.equal(
      ['blur', 'Ada', 'key'],
    );
    expect(localStorage.getItem('rtc-room:background')).to.equal('blur');
  });

  it('loses a choice quietly where storage refuses it (full, or a sandboxed frame)', () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    try {
      expect(() => remember('background', 'data:image/jpeg;base64,AAAA')).not.to.throw();
    } finally {
      Storage.prototype.setItem = setItem;
    }
    expect(remembered('background')).to.equal('');
  });
});
