import { expect } from '@open-wc/testing';
import { clientSecretFor, peerServerToken } from '../../../src/room/peer-token.js';

describe('the PeerServer token', () => {
  it('keeps one secret per room for the tab, so that a reload is the same visitor', () => {
    const room = crypto.randomUUID();
    const secret = clientSecretFor(room);
    expect(secret).to.match(/^[0-9a-f]{32}$/);
    expect(clientSecretFor(room)).to.equal(secret);
    expect(clientSecretFor(crypto.randomUUID())).to.not.equal(secret);
    sessionStorage.removeItem(`rtc-room:secret:${room}`);
    expect(clientSecretFor(room)).to.not.equal(secret);
  });

  it('puts the join token after a dot and the host key after a tilde, as the server splits it', () => {
    const table: Array<[string | null, string | null, string]> = [
      [null, null, 's'],
      ['a.b.c', null, 's.a.b.c'],
      [null, 'KEY', 's~KEY'],
      ['a.b.c', 'KEY', 's.a.b.c~KEY'],
    ];
    for (const [joinToken, hostKey, token] of table) {
      expect(peerServerToken('s', joinToken, hostKey)).to.equal(token);
    }
  });
});
