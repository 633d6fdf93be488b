import { expect, waitUntil } from '@open-wc/testing';
import { LOWER, leaveAll, makeReady, setup } from '../support/session-setup.js';

// Nothing listens there: the SFU route finds no Janus.
const NOWHERE = { url: 'ws://127.0.0.1:9', room: 'r', token: 't', roomToken: 'rt' };

describe('RoomSession moving to the SFU', () => {
  afterEach(leaveAll);

  it('keeps the mesh and the room when Janus cannot be reached, and says so once', async () => {
    const { session, api, log, transport } = setup();
    api.peers = [LOWER];
    await session.join();
    const [link] = transport().dialled;
    makeReady(link, 'Lower');
    await waitUntil(() => session.participants.length === 2, 'the peer is shown');
    expect(session.mode).to.equal(undefined);
    transport().notify({ event: 'sfu', ticket: NOWHERE });
    await waitUntil(() => log.of('error').some((error) => error.code === 'sfu-lost'), 'sfu-lost');
    transport().notify({ event: 'sfu-lost' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.of('error').filter((error) => error.code === 'sfu-lost')).to.have.length(1);
    expect(session.mode).to.equal('mesh');
    expect(session.participants.map((participant) => participant.name)).to.deep.equal([
      'Me',
      'Lower',
    ]);
    expect(link.isClosed, 'the mesh link plays on').to.equal(false);
    expect(session.state).to.equal('joined');
  });
});
