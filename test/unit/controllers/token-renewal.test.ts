import { expect } from '@open-wc/testing';
import { TokenRenewal, type TokenHost } from '../../../src/controllers/token-renewal.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoiciJ9.c2ln';
const FRESH = 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoicyJ9.c2ln';

function host(token: string | null): TokenHost & { asked: string[] } {
  const element = Object.assign(document.createElement('div'), {
    roomId: 'r',
    token,
    asked: [] as string[],
  });
  element.addEventListener('rtc-token-expired', (event) =>
    element.asked.push((event as CustomEvent).detail.roomId),
  );
  return element as unknown as TokenHost & { asked: string[] };
}

describe('TokenRenewal', () => {
  it('sends the host’s token when it is a JWT, and none otherwise', () => {
    expect(new TokenRenewal(host(JWT)).current()).to.equal(JWT);
    expect(new TokenRenewal(host('nonsense')).current()).to.equal(null);
    expect(new TokenRenewal(host(null)).current()).to.equal(null);
  });

  it('asks the page for a fresh token once per token', () => {
    const element = host(JWT);
    const renewal = new TokenRenewal(element);
    renewal.askForFresh();
    renewal.askForFresh();
    expect(element.asked).to.deep.equal(['r']);
    element.token = FRESH;
    renewal.changed();
    renewal.askForFresh();
    renewal.askForFresh();
    expect(element.asked).to.deep.equal(['r', 'r']);
  });
});
