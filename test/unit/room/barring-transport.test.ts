import { expect } from '@open-wc/testing';
import { BarringTransport } from '../../../src/room/barring-transport.js';
import type { PeerLink } from '../../../src/transport/transport.js';
import { FakeTransport } from '../support/fake-transport.js';

function barring() {
  const inner = new FakeTransport({
    id: 'room_self',
    server: new URL('http://127.0.0.1:9000'),
    path: '/peerjs',
    key: 'rtc',
    iceServers: [],
    iceTransportPolicy: 'all',
  });
  const transport = new BarringTransport(inner);
  const incoming: PeerLink[] = [];
  transport.on('incoming', (link) => incoming.push(link));
  return { inner, transport, incoming };
}

describe('BarringTransport', () => {
  it('closes the links to a peer the server removed, at once', () => {
    const { inner, transport } = barring();
    const dialled = transport.dial('room_a', new MediaStream());
    const ringing = inner.ring('room_a');
    const other = transport.dial('room_b', new MediaStream());
    transport.bar('room_a');
    expect(inner.dialled[0].isClosed && ringing.isClosed).to.equal(true);
    expect(dialled).to.equal(inner.dialled[0]);
    expect(inner.dialled[1].isClosed, 'someone else').to.equal(false);
    expect(other.remoteId).to.equal('room_b');
  });

  it('refuses the calls of a removed peer and passes the others on', () => {
    const { inner, transport, incoming } = barring();
    transport.bar('room_a');
    const refused = inner.ring('room_a');
    inner.ring('room_b');
    expect(refused.isClosed).to.equal(true);
    expect(incoming.map((link) => link.remoteId)).to.deep.equal(['room_b']);
  });

  it('closes a dial to a removed peer as a failed link', async () => {
    const { inner, transport } = barring();
    transport.bar('room_a');
    transport.dial('room_a', new MediaStream());
    await Promise.resolve();
    expect(inner.dialled[0].isClosed).to.equal(true);
  });

  it('passes the server’s notices on', () => {
    const { inner, transport } = barring();
    const notices: unknown[] = [];
    transport.on('notice', (notice) => notices.push(notice));
    inner.notify({ event: 'lock', locked: true });
    expect(notices).to.deep.equal([{ event: 'lock', locked: true }]);
  });
});
