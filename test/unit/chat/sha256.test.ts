import { expect } from '@open-wc/testing';
import { Sha256 } from '../../../src/chat/sha256.js';

async function subtleHex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(size, offset + 65536)));
  }
  return bytes;
}

describe('Sha256', () => {
  it('gives the known digest of "abc" and of nothing', () => {
    expect(new Sha256().update(new TextEncoder().encode('abc')).hex()).to.equal(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(new Sha256().hex()).to.equal(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  for (const size of [1, 55, 56, 63, 64, 65, 119, 120, 1000, 65524 * 3 + 7, 1024 * 1024 + 3]) {
    it(`matches crypto.subtle for ${size} bytes fed in uneven parts`, async () => {
      const bytes = randomBytes(size);
      const hash = new Sha256();
      for (
        let offset = 0, step = 1;
        offset < size;
        offset += step, step = ((step * 7 + 3) % 9000) + 1
      ) {
        hash.update(bytes.subarray(offset, offset + step));
      }
      expect(hash.hex()).to.equal(await subtleHex(bytes));
    });
  }
});
