import { expect } from '@open-wc/testing';
import { hostKeyFor, hostLink, inviteLink, readAddress } from '../../src/room-links.js';

const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';

/** Runs `body` with the page at `address`, putting the address and storage back afterwards. */
function atAddress(address: string, body: () => void): void {
  const before = location.href;
  history.replaceState(history.state, '', address);
  try {
    body();
  } finally {
    localStorage.removeItem(`rtc-room:host:${ROOM}`);
    history.replaceState(history.state, '', before);
  }
}

describe('room links', () => {
  it('takes the room from an invite link when the page named none', () => {
    atAddress(`?room=${ROOM}`, () => {
      expect(readAddress('', 'room')).to.equal(ROOM);
      expect(readAddress('other-room-id', 'room')).to.equal('other-room-id');
      expect(hostKeyFor(ROOM)).to.equal(null);
    });
  });

  it('keeps the host key of a host link and takes it out of the address bar', () => {
    atAddress(`?room=${ROOM}#host=k3y&x=1`, () => {
      expect(readAddress('', 'room')).to.equal(ROOM);
      expect(hostKeyFor(ROOM)).to.equal('k3y');
      expect(location.hash).to.equal('#x=1');
    });
  });

  it('makes a host link from the invite link, which itself carries no key', () => {
    atAddress(`?room=${ROOM}#host=k3y`, () => {
      const invite = inviteLink(ROOM, 'room');
      expect(invite).to.not.include('#');
      const link = hostLink(invite, 'a/b+c');
      expect(new URL(link).hash).to.equal('#host=a%2Fb%2Bc');
      expect(new URLSearchParams(new URL(link).hash.slice(1)).get('host')).to.equal('a/b+c');
    });
  });
});
