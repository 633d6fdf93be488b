import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { RoomError } from '../../../src/errors.js';
import { ENCODING_LADDER } from '../../../src/media/encoding-policy.js';
import { DEFAULT_LIVENESS } from '../../../src/room/liveness-policy.js';
import { LocalMedia } from '../../../src/media/local-media.js';
import { PROTOCOL_VERSION } from '../../../src/protocol/messages.js';
import { DESCRIBE_HOLD_MS, MeshRoute } from '../../../src/room/mesh-route.js';
import { MAX_CONNECT_ATTEMPTS } from '../../../src/room/membership.js';
import { FakeNetwork, FakeTransport, type FakeLink } from '../support/fake-transport.js';
import { FakeClock } from '../support/fake-clock.js';
import {
  ROOM,
  HEARTBEAT,
  LOWER,
  HIGHER,
  joinedDialling,
  leaveAll,
  setup,
  BYE,
  connectionStates,
  makeReady,
  remoteIds,
} from '../support/session-setup.js';

/** Fails each of the mesh's attempts to call a peer as it is made: its link closes unanswered. */
async function failEveryAttempt(transport: FakeTransport): Promise<void> {
  for (let attempt = 1; attempt <= MAX_CONNECT_ATTEMPTS; attempt++) {
    await waitUntil(() => transport.dialled.length === attempt, `attempt ${attempt}`, {
      timeout: 3000,
    });
    transport.dialled[attempt - 1].close();
  }
}

// The mesh's rules (whom to dial, which link a pair keeps, the re-check, retries, the video
// cap, the describe-hold, a silent peer's fresh call), driven through the session that uses it
// and checked as the page sees them.
describe('MeshRoute', () => {
  afterEach(leaveAll);

  describe('video encoding', () => {
    /** The maximum bitrate last set on each open link, in kbit/s. */
    const kbps = (links: FakeLink[]) =>
      links
        .filter((l) => !l.isClosed)
        .map((l) => (l.videoEncodings.at(-1)?.maxBitrate ?? 0) / 1000);

    it('caps every link’s video by the room’s size as the room grows and shrinks', async () => {
      const { session, api, ...rest } = setup();
      api.peers = [`${HIGHER}1`];
      await session.join();
      const transport = rest.transport();
      const links = [...transport.dialled];
      makeReady(links[0], 'Ada');
      await aTimeout(0);
      expect(kbps(links)).to.deep.equal([900]);

      for (const id of ['2', '3', '4', '5']) {
        const link = transport.ring(`${HIGHER}${id}`);
        links.push(link);
        makeReady(link, `Peer ${id}`);
        await aTimeout(0);
      }
      expect(kbps(links)).to.deep.equal([220, 220, 220, 220, 220]);
      expect(links[4].videoEncodings.at(-1)).to.deep.equal(ENCODING_LADDER[4]);

      links[0].fire('message', BYE);
      links[1].close();
      await aTimeout(0);
      expect(kbps(links)).to.deep.equal([400, 400, 400]);
      expect(links[2].videoEncodings.at(-1)).to.deep.include({ scaleResolutionDownBy: 1.5 });
    });

    it('caps a link’s video once its offer is out, before the video starts, and not again at the hello', async () => {
      const { session, api, made } = setup({ holdsDescriptions: true });
      api.peers = [HIGHER];
      await session.join();
      const [link] = made[0].dialled;
      await aTimeout(0);
      expect(link.videoEncodings, 'while the offer is being made').to.deep.equal([]);
      link.finishDescribing();
      await aTimeout(0);
      expect(link.videoEncodings).to.deep.equal([ENCODING_LADDER[0]]);
      makeReady(link, 'Ada');
      await aTimeout(0);
      expect(link.videoEncodings).to.deep.equal([ENCODING_LADDER[0]]);
    });
  });

  describe('holding renders while a call is negotiated', () => {
    it('has nothing to wait for before any call, and once every offer and answer is out', async () => {
      const { session, api, made } = setup({ holdsDescriptions: true });
      expect(session.whenDescribed()).to.equal(null);
      api.peers = [HIGHER];
      await session.join();
      const incoming = made[0].ring(`${HIGHER}2`);
      const [dialled] = made[0].dialled;
      const waited = session.whenDescribed();
      expect(waited).to.be.instanceOf(Promise);
      let isDone = false;
      void waited!.then(() => (isDone = true));
      dialled.finishDescribing();
      await aTimeout(0);
      expect(isDone, 'with an answer still being made').to.equal(false);
      incoming.finishDescribing();
      await aTimeout(0);
      expect(isDone).to.equal(true);
      expect(session.whenDescribed()).to.equal(null);
    });

    it('waits no longer than DESCRIBE_HOLD_MS for an offer that never goes out', async () => {
      const clock = new FakeClock();
      const { session, api } = setup({ clock, holdsDescriptions: true });
      api.peers = [HIGHER];
      await session.join();
      let isDone = false;
      void session.whenDescribed()!.then(() => (isDone = true));
      clock.tick(DESCRIBE_HOLD_MS - 1);
      await aTimeout(0);
      expect(isDone).to.equal(false);
      clock.tick(1);
      await aTimeout(0);
      expect(isDone).to.equal(true);
    });

    it('stops waiting for a link that closes before its offer goes out', async () => {
      const { session, api, made } = setup({ holdsDescriptions: true });
      api.peers = [HIGHER];
      await session.join();
      const waited = session.whenDescribed()!;
      made[0].dialled[0].close();
      await waited;
      expect(session.whenDescribed()).to.equal(null);
    });
  });

  describe('when two peers dial each other at once', () => {
    /** Joins a room listing one peer, dials it, and has it dial in at once. */
    async function dialledAndRung(remoteId: string) {
      const joined = await joinedDialling([remoteId]);
      const [outgoing] = joined.dialled;
      return { ...joined, outgoing, incoming: joined.transport().ring(remoteId) };
    }

    it('keeps its own dial and refuses the incoming link when its ID is smaller', async () => {
      const { session, log, outgoing, incoming } = await dialledAndRung(HIGHER);
      expect(incoming.isClosed).to.equal(true);
      expect(incoming.acceptedStream).to.equal(null);
      expect(outgoing.isClosed).to.equal(false);
      makeReady(outgoing, 'Grace');
      expect(log.count('peer-join')).to.equal(1);
      expect(remoteIds(session)).to.deep.equal([HIGHER]);
    });

    it('takes the incoming link and closes its own when its ID is larger', async () => {
      const { media, log, outgoing, incoming } = await dialledAndRung(LOWER);
      expect(outgoing.isClosed).to.equal(true);
      expect(incoming.isClosed).to.equal(false);
      expect(incoming.acceptedStream).to.equal(media.outgoing);
      makeReady(incoming, 'Ada');
      expect(log.of('peer-join').map((p) => p.name)).to.deep.equal(['Ada']);
      expect(log.count('peer-leave')).to.equal(0);
    });

    it('does not announce a ready peer twice when its link is replaced', async () => {
      const { session, log, dialled, ...rest } = await joinedDialling([LOWER]);
      const [outgoing] = dialled;
      makeReady(outgoing, 'Ada');
      const incoming = rest.transport().ring(LOWER);
      expect(outgoing.isClosed).to.equal(true);
      expect(connectionStates(session), 'the tile stays').to.deep.equal({
        [LOWER]: 'reconnecting',
      });
      makeReady(incoming, 'Ada');
      expect(log.count('peer-join')).to.equal(1);
      expect(log.count('peer-leave')).to.equal(0);
      expect(remoteIds(session)).to.deep.equal([LOWER]);
    });

    it('takes a redial from a peer it holds an incoming link from', async () => {
      const { session, ...rest } = setup();
      await session.join();
      const first = rest.transport().ring(HIGHER);
      makeReady(first);
      const second = rest.transport().ring(HIGHER);
      expect(first.isClosed).to.equal(true);
      expect(second.isClosed).to.equal(false);
      makeReady(second);
      expect(remoteIds(session)).to.deep.equal([HIGHER]);
    });

    for (const order of ['dial order', 'reversed'] as const) {
      it(`ends with exactly one link between two sessions (rings in ${order})`, async () => {
        const network = new FakeNetwork();
        const a = setup({ network, name: 'A' });
        const b = setup({ network, name: 'B' });
        a.api.peers = b.api.peers = [a.session.peerId, b.session.peerId];
        await Promise.all([a.session.join(), b.session.join()]);
        expect(a.transport().dialled).to.have.length(1);
        expect(b.transport().dialled).to.have.length(1);

        network.deliver(order);
        const [small, large] = [a.session.peerId, b.session.peerId].sort();
        expect(network.openLinks()).to.have.deep.members([
          [small, large, true],
          [large, small, false],
        ]);

        network.openAll();
        expect(a.log.of('peer-join').map((p) => p.name)).to.deep.equal(['B']);
        expect(b.log.of('peer-join').map((p) => p.name)).to.deep.equal(['A']);
        expect(a.log.count('peer-leave') + b.log.count('peer-leave')).to.equal(0);
      });
    }
  });

  describe('when its network changes', () => {
    it('calls every peer afresh, marked as a replacement, keeping each tile', async () => {
      const { session, log, dialled, ...rest } = await joinedDialling([LOWER, HIGHER]);
      dialled.forEach((link, i) => makeReady(link, ['Ada', 'Grace'][i]));
      rest.transport().fire('network-changed', undefined);
      const fresh = rest.transport().dialled.slice(2);
      expect(fresh.map((link) => [link.remoteId, link.isReplacement])).to.deep.equal([
        [LOWER, true],
        [HIGHER, true],
      ]);
      expect(dialled.slice(0, 2).every((link) => link.isClosed)).to.equal(true);
      expect(connectionStates(session)).to.deep.equal({
        [LOWER]: 'reconnecting',
        [HIGHER]: 'reconnecting',
      });
      fresh.forEach((link, i) => makeReady(link, ['Ada', 'Grace'][i]));
      expect(connectionStates(session)).to.deep.equal({
        [LOWER]: 'connected',
        [HIGHER]: 'connected',
      });
      expect(log.count('peer-join')).to.equal(2);
      expect(log.count('peer-leave')).to.equal(0);
    });

    it('asks the transport to check its signalling when a peer goes quiet', async () => {
      const { dialled, ...rest } = await joinedDialling([HIGHER]);
      makeReady(dialled[0], 'Grace');
      expect(rest.transport().signallingChecks).to.equal(0);
      dialled[0].fire('state', 'disconnected');
      expect(rest.transport().signallingChecks).to.equal(1);
    });

    it('takes a replacement from a peer whose network changed over its own dial', async () => {
      const { session, dialled, ...rest } = await joinedDialling([HIGHER]);
      makeReady(dialled[0], 'Grace');
      const replacement = rest.transport().ring(HIGHER, { replaces: true });
      expect(replacement.isClosed).to.equal(false);
      expect(dialled[0].isClosed).to.equal(true);
      makeReady(replacement, 'Grace');
      expect(connectionStates(session)).to.deep.equal({ [HIGHER]: 'connected' });
    });

    it('keeps its own replacement when both networks changed at once and its ID is smaller', async () => {
      const { dialled, ...rest } = await joinedDialling([HIGHER]);
      makeReady(dialled[0], 'Grace');
      rest.transport().fire('network-changed', undefined);
      const ours = rest.transport().dialled[1];
      const theirs = rest.transport().ring(HIGHER, { replaces: true });
      expect(theirs.isClosed).to.equal(true);
      expect(ours.isClosed).to.equal(false);
    });
  });

  describe('recovering from failed connections', () => {
    it('retries a peer whose links close unanswered, then shows it unreachable with ice-failed', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      await failEveryAttempt(rest.transport());
      const errors = log.of('error').map((error) => error.code);
      expect(errors).to.deep.equal(['ice-failed']);
      const unreachable = session.participants.find((p) => p.id === HIGHER);
      expect(unreachable?.connection?.state).to.equal('unreachable');
      await aTimeout(1200);
      expect(rest.transport().dialled, 'no attempt after giving up').to.have.length(3);
      expect(log.count('peer-join')).to.equal(0);
    });

    it('counts a link that closes before its hello as a failed attempt', async () => {
      const { session, api, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      rest.transport().dialled[0].close();
      await waitUntil(() => rest.transport().dialled.length === 2, 'retried after the back-off');
    });

    it('shows a peer ICE found no path to as unreachable at once when there is no TURN', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      rest.transport().dialled[0].fire('state', 'failed');
      expect(log.of('error').map((error) => error.code)).to.deep.equal(['ice-failed']);
      const unreachable = session.participants.find((p) => p.id === HIGHER);
      expect(unreachable?.connection?.state).to.equal('unreachable');
      await aTimeout(1200);
      expect(rest.transport().dialled, 'no second full ICE attempt').to.have.length(1);
    });

    /** Joins with TURN configured, and fails the first call: ICE found no path. */
    async function failedOnceWithTurn() {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      const transport = rest.transport();
      transport.canRelay = true;
      transport.dialled[0].fire('state', 'failed');
      await waitUntil(() => transport.dialled.length === 2, 'the relay-only retry', {
        timeout: 200,
      });
      return { session, log, transport };
    }

    it('retries a peer ICE found no path to once, at once and relay-only, when TURN is configured', async () => {
      const { log, transport } = await failedOnceWithTurn();
      expect(transport.dialled.map((link) => link.isRelayOnly)).to.deep.equal([false, true]);
      expect(log.of('error')).to.have.length(0);
      transport.dialled[1].fire('state', 'failed');
      expect(log.of('error').map((error) => error.code)).to.deep.equal(['ice-failed']);
      await aTimeout(1200);
      expect(transport.dialled, 'nothing after the relay-only retry').to.have.length(2);
    });

    it('connects through the relay-only retry and keeps dialling that peer relay-only', async () => {
      const { session, log, transport } = await failedOnceWithTurn();
      makeReady(transport.dialled[1], 'Grace');
      expect(session.participants.find((p) => p.id === HIGHER)?.connection?.state).to.equal(
        'connected',
      );
      // Connected before, then lost: retried with the back-off, through the relay again.
      transport.dialled[1].fire('state', 'failed');
      await waitUntil(() => transport.dialled.length === 3, 'retried after the back-off');
      expect(transport.dialled[2].isRelayOnly).to.equal(true);
      expect(log.of('error')).to.have.length(0);
    });

    it('retries a peer that was reached and then failed, with the back-off', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      const transport = rest.transport();
      makeReady(transport.dialled[0], 'Grace');
      transport.dialled[0].fire('state', 'failed');
      await waitUntil(() => transport.dialled.length === 2, 'retried after the back-off');
      expect(transport.dialled[1].isRelayOnly).to.equal(false);
      expect(log.of('error')).to.have.length(0);
    });

    it('forgets an unreachable peer once the room no longer lists it', async () => {
      const { session, api, ...rest } = setup({ recheckIntervalMs: 50 });
      api.peers = [HIGHER];
      await session.join();
      await failEveryAttempt(rest.transport());
      expect(remoteIds(session)).to.deep.equal([HIGHER]);
      api.peers = [];
      await waitUntil(() => remoteIds(session).length === 0, 'the unreachable peer is gone');
    });

    it('clears a peer’s failures once it connects', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      rest.transport().dialled[0].close();
      await waitUntil(() => rest.transport().dialled.length === 2, 'second attempt');
      makeReady(rest.transport().dialled[1], 'Grace');
      expect(session.participants.find((p) => p.id === HIGHER)?.connection?.state).to.equal(
        'connected',
      );
      expect(log.of('error')).to.have.length(0);
    });
  });

  describe('re-checking the room', () => {
    it('dials a missed peer only when its own ID is smaller', async () => {
      const { session, api, ...rest } = setup({ recheckIntervalMs: 10 });
      await session.join();
      expect(rest.transport().dialled).to.have.length(0);
      api.peers = [LOWER, session.peerId, HIGHER];
      await waitUntil(() => rest.transport().dialled.length > 0, 'dialled the missed peer');
      const calls = api.roomPeerCalls;
      await waitUntil(() => api.roomPeerCalls >= calls + 3, 'more re-checks ran');
      expect(rest.transport().dialled.map((link) => link.remoteId)).to.deep.equal([HIGHER]);
    });

    it('keeps re-checking after the server fails once', async () => {
      const { session, api, ...rest } = setup({ recheckIntervalMs: 10 });
      await session.join();
      const roomPeers = api.roomPeers.bind(api);
      api.roomPeers = () => {
        api.roomPeers = roomPeers;
        return Promise.reject(new RoomError('server-unreachable', 'restarting'));
      };
      api.peers = [HIGHER];
      await waitUntil(() => rest.transport().dialled.length === 1, 'dialled after the failure');
      expect(session.state).to.equal('joined');
    });

    it('stops re-checking after leaving', async () => {
      const { session, api } = setup({ recheckIntervalMs: 10 });
      await session.join();
      session.leave();
      const calls = api.roomPeerCalls;
      await aTimeout(80);
      expect(api.roomPeerCalls).to.equal(calls);
    });
  });

  describe('a peer that goes silent', () => {
    async function joinedWith(remoteId: string, recheckIntervalMs?: number) {
      const clock = new FakeClock();
      const setupResult = setup({ clock, recheckIntervalMs });
      setupResult.api.peers = [remoteId];
      await setupResult.session.join();
      const [link] = setupResult.transport().dialled;
      makeReady(link, 'Quiet');
      return { clock, link, ...setupResult };
    }

    it('is shown as reconnecting and gets a fresh call from the smaller ID, keeping one tile', async () => {
      const { clock, link, session, log, ...rest } = await joinedWith(HIGHER);
      clock.tick(DEFAULT_LIVENESS.silenceMs);
      expect(connectionStates(session)).to.deep.equal({ [HIGHER]: 'reconnecting' });
      const transport = rest.transport();
      expect(transport.dialled).to.have.length(2);
      expect(link.isClosed, 'the silent link is replaced').to.equal(true);
      expect(remoteIds(session)).to.deep.equal([HIGHER]);
      const fresh = transport.dialled[1];
      makeReady(fresh, 'Quiet');
      expect(connectionStates(session)).to.deep.equal({ [HIGHER]: 'connected' });
      expect(log.count('peer-join')).to.equal(1);
      expect(log.count('peer-leave')).to.equal(0);
    });

    it('waits for the smaller ID to call when its own is larger, then takes the call over', async () => {
      const { clock, link, session, log, ...rest } = await joinedWith(LOWER);
      clock.tick(DEFAULT_LIVENESS.silenceMs);
      const transport = rest.transport();
      expect(transport.dialled).to.have.length(1);
      expect(connectionStates(session)).to.deep.equal({ [LOWER]: 'reconnecting' });
      const incoming = transport.ring(LOWER);
      expect(link.isClosed).to.equal(true);
      expect(remoteIds(session), 'the tile stays while the call connects').to.deep.equal([LOWER]);
      makeReady(incoming, 'Quiet');
      expect(connectionStates(session)).to.deep.equal({ [LOWER]: 'connected' });
      expect(log.count('peer-join')).to.equal(1);
      expect(log.count('peer-leave')).to.equal(0);
    });

    it('stays, reconnecting, while the server still lists it', async () => {
      const { clock, session, api } = await joinedWith(LOWER);
      const calls = api.roomPeerCalls;
      clock.tick(DEFAULT_LIVENESS.silenceMs);
      await waitUntil(() => api.roomPeerCalls > calls, 'the room is listed again at once');
      await aTimeout(0);
      expect(connectionStates(session)).to.deep.equal({ [LOWER]: 'reconnecting' });
    });

    it('is removed once the server no longer lists it: its page closed before its goodbye', async () => {
      const { clock, session, api, log } = await joinedWith(LOWER, 50);
      api.peers = [];
      clock.tick(DEFAULT_LIVENESS.silenceMs);
      await waitUntil(() => remoteIds(session).length === 0, 'the tile goes');
      expect(log.count('peer-leave')).to.equal(1);
    });

    it('stays through one re-check that does not list it: it may be registering from a new network', async () => {
      const { clock, session, api, log } = await joinedWith(LOWER, 300);
      api.peers = [];
      const calls = api.roomPeerCalls;
      clock.tick(DEFAULT_LIVENESS.silenceMs);
      await waitUntil(() => api.roomPeerCalls > calls, 'the room is listed again at once');
      api.peers = [LOWER];
      await waitUntil(() => api.roomPeerCalls > calls + 2, 'two more re-checks', { timeout: 3000 });
      expect(connectionStates(session)).to.deep.equal({ [LOWER]: 'reconnecting' });
      expect(log.count('peer-leave')).to.equal(0);
    });

    it('keeps a message written meanwhile pending, and delivers it once the peer is back', async () => {
      const { clock, session, ...rest } = await joinedWith(HIGHER);
      clock.tick(DEFAULT_LIVENESS.silenceMs);
      const sent = await session.sendMessage('are you there?');
      expect(sent.delivery).to.equal('pending');
      const fresh = rest.transport().dialled[1];
      makeReady(fresh, 'Quiet');
      fresh.fire('message', JSON.stringify({ v: 1, type: 'sync', ids: [], done: true }));
      fresh.fire('message', JSON.stringify({ v: 1, type: 'want', ids: [sent.id], done: true }));
      expect(session.chat?.messages[0].delivery).to.equal('sent');
      expect(
        fresh.sent.some((f) => typeof f === 'string' && f.includes('are you there?')),
      ).to.equal(true);
    });
  });
});

describe('MeshRoute on its own', () => {
  const SELF = `${ROOM}_5`;

  function meshWith(listed: string[] = []) {
    const transport = new FakeTransport({
      id: SELF,
      server: new URL('http://127.0.0.1:9000'),
      path: '/peerjs',
      key: 'rtc',
      iceServers: [],
      iceTransportPolicy: 'all',
    });
    const media = new LocalMedia();
    const route = new MeshRoute({
      transport,
      selfId: SELF,
      hello: () => ({ v: PROTOCOL_VERSION, type: 'hello', name: 'Me', audio: false, video: false }),
      media,
      listRoom: () => Promise.resolve(listed),
      recheckIntervalMs: 60_000,
    });
    const events: string[] = [];
    route.on('ready', (peer) => events.push(`ready ${peer.id}`));
    route.on('gone', ({ peer, reason }) => events.push(`gone ${peer.id} ${reason}`));
    route.on('unreachable', ({ peerId, attempts }) =>
      events.push(`unreachable ${peerId} ${attempts}`),
    );
    route.on('message', ({ peerId, frame }) => events.push(`message ${peerId} ${frame.kind}`));
    return { transport, route, events, media };
  }

  it('takes a link that rings before it starts, and refuses one once closed', () => {
    const { transport, route, events } = meshWith();
    const early = transport.ring(LOWER);
    expect(early.isClosed).to.equal(false);
    makeReady(early, 'Ada');
    expect(events).to.deep.equal([`ready ${LOWER}`]);
    route.close(false);
    expect(transport.ring(HIGHER).isClosed).to.equal(true);
    expect(events, 'silent once closed').to.have.length(1);
  });

  it('hands every frame for the chat on, decoded, and keeps control frames to itself', () => {
    const { transport, route, events } = meshWith();
    route.start([HIGHER]);
    const [link] = transport.dialled;
    makeReady(link, 'Grace');
    link.fire('message', JSON.stringify({ v: 1, type: 'digest', count: 0, hash: 0 }));
    link.fire('message', JSON.stringify({ v: 1, type: 'chat', id: 1 }));
    link.fire('message', new ArrayBuffer(4));
    link.fire('message', HEARTBEAT);
    expect(events).to.deep.equal([
      `ready ${HIGHER}`,
      `message ${HIGHER} chat`,
      `message ${HIGHER} invalid`,
      `message ${HIGHER} invalid`,
    ]);
    route.close(false);
  });

  it('lists a peer as unreachable once every attempt failed', async () => {
    const { transport, route, events } = meshWith([HIGHER]);
    route.start([HIGHER]);
    await failEveryAttempt(transport);
    expect(events.at(-1)).to.equal(`unreachable ${HIGHER} ${MAX_CONNECT_ATTEMPTS}`);
    expect(route.unreachable).to.deep.equal([HIGHER]);
    expect(route.peers).to.deep.equal([]);
    route.close(false);
  });

  it('says goodbye on every link when closed to leave', () => {
    const { transport, route, events } = meshWith();
    route.start([LOWER, HIGHER]);
    for (const link of transport.dialled) makeReady(link);
    route.close(true);
    for (const link of transport.dialled) {
      expect(link.sentMessages.at(-1)).to.deep.equal({ v: 1, type: 'bye' });
      expect(link.isClosed).to.equal(true);
    }
    expect(
      events.filter((e) => e.startsWith('gone')),
      'no news while leaving',
    ).to.deep.equal([]);
  });
});
