import { expect } from '@open-wc/testing';
import { RoomError } from '../../../src/errors.js';
import { fakeTransportFactory, type FakeTransport } from '../support/fake-transport.js';
import { LOWER, HIGHER, leaveAll, makeReady, setup } from '../support/session-setup.js';
import { member } from '../support/members.js';

/** A session whose registration waits until the test lets it through (or refuses it). */
function atTheDoor(options: Parameters<typeof setup>[0] = {}) {
  const factory = fakeTransportFactory();
  let admit!: () => void;
  let refuse!: (error: RoomError) => void;
  const joined = setup({
    ...options,
    createTransport: (transportOptions) => {
      const transport = factory(transportOptions) as FakeTransport;
      transport.open = () =>
        new Promise((resolve, reject) => {
          admit = () => resolve([]);
          refuse = reject;
        });
      return transport;
    },
  });
  const transport = async () => {
    while (factory.made.length === 0) await Promise.resolve();
    return factory.made[0];
  };
  return {
    ...joined,
    transport,
    admit: () => admit(),
    refuse: (error: RoomError) => refuse(error),
  };
}

describe('RoomSession and the server’s word on the room', () => {
  afterEach(leaveAll);

  it('waits at a locked room’s door, knocks with its name, and joins once admitted', async () => {
    const { session, transport, admit, log } = atTheDoor({ name: 'Kim' });
    const joining = session.join();
    const fake = await transport();
    await new Promise((resolve) => setTimeout(resolve));
    fake.notify({ event: 'waiting' });
    expect(session.state).to.equal('waiting');
    expect(fake.commands).to.deep.equal([{ command: 'knock', name: 'Kim' }]);
    admit();
    await joining;
    expect(session.state).to.equal('joined');
    expect(log.of('state')).to.deep.equal(['joining', 'waiting', 'joined']);
  });

  it('ends in `error` with `denied` when a host turns it away', async () => {
    const { session, transport, refuse, log } = atTheDoor();
    const joining = session.join().catch((error: unknown) => error);
    const fake = await transport();
    await new Promise((resolve) => setTimeout(resolve));
    fake.notify({ event: 'waiting' });
    refuse(new RoomError('denied', 'denied'));
    const error = await joining;
    expect((error as RoomError).code).to.equal('denied');
    expect(session.state).to.equal('error');
    expect(log.of('error').map((e) => e.code)).to.deep.equal(['denied']);
    expect(fake.isDestroyed).to.equal(true);
  });

  it('ends in `error` with `removed` once a host removes it, the state first', async () => {
    const { session, transport, log } = setup();
    await session.join();
    const seen: string[] = [];
    session.on('error', (error) => seen.push(`${session.state} ${error.code}`));
    transport().fire('error', new RoomError('removed', 'removed'));
    expect(session.state).to.equal('error');
    expect(seen).to.deep.equal(['error removed']);
    expect(transport().isDestroyed).to.equal(true);
    expect(log.of('state').at(-1)).to.equal('error');
  });

  it('closes its links to a peer the server removed and refuses it from then on', async () => {
    const { session, transport, api } = setup();
    api.peers = [LOWER, HIGHER];
    await session.join();
    const fake = transport();
    const [toLower] = fake.dialled;
    makeReady(toLower, 'Lower');
    fake.notify({ event: 'removed', id: LOWER });
    expect(toLower.isClosed).to.equal(true);
    const again = fake.ring(LOWER);
    expect(again.isClosed).to.equal(true);
    expect(session.participants.map((p) => p.id)).to.not.include(LOWER);
  });

  it('shows the names and roles the server vouches for, not a hello’s', async () => {
    const { session, transport, api } = setup({ name: '' });
    api.peers = [HIGHER];
    await session.join();
    const fake = transport();
    fake.notify({
      event: 'welcome',
      self: member(session.peerId, { guest: 1 }),
      members: [member(HIGHER, { name: 'Grace', verified: true, role: 'host', guest: 2 })],
      locked: false,
      knocking: [],
    });
    makeReady(fake.dialled[0], 'Ada');
    const [me, grace] = session.participants;
    expect(me).to.deep.include({ name: 'Guest 1', role: 'guest' });
    expect(grace).to.deep.include({ name: 'Grace', verified: true, role: 'host' });
  });

  it('turns its microphone off when a host mutes it', async () => {
    const { session, transport, media } = setup({ startWith: { audio: true, video: false } });
    await session.join();
    expect(media.isMicrophoneEnabled).to.equal(true);
    transport().notify({ event: 'muted', by: HIGHER });
    await new Promise((resolve) => setTimeout(resolve));
    expect(media.isMicrophoneEnabled).to.equal(false);
  });

  it('registers with its host key after its secret and join token', async () => {
    const { session, transport } = setup({ hostKey: 'KEY', readToken: () => 'a.b.c' });
    await session.join();
    expect(transport().options.token?.()).to.match(/^[0-9a-f]{32}\.a\.b\.c~KEY$/);
  });
});
