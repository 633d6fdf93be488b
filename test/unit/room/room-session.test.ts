import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import { RoomError } from '../../../src/errors.js';
import { LocalMedia, type MediaDevicesLike } from '../../../src/media/local-media.js';
import { PROTOCOL_VERSION, encodeMessage } from '../../../src/protocol/messages.js';
import type { Participant } from '../../../src/room/participant.js';
import { DEFAULT_LIVENESS } from '../../../src/room/liveness-policy.js';
import { ServerApi } from '../../../src/room/server-api.js';
import {
  fakeTransportFactory,
  type FakeLink,
  type FakeTransport,
} from '../support/fake-transport.js';
import { FakeClock } from '../support/fake-clock.js';
import { rejection } from '../support/rejection.js';
import {
  ROOM,
  LOWER,
  HIGHER,
  SERVER_ICE,
  type Setup,
  leaveAll,
  setup,
  hello,
  BYE,
  HEARTBEAT,
  connectionStates,
  makeReady,
  remoteIds,
  lastSent,
  recordingDevices,
  liveTracksOf,
} from '../support/session-setup.js';

describe('RoomSession', () => {
  afterEach(leaveAll);

  describe('joining', () => {
    it('dials every listed peer but itself, once each', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [LOWER, session.peerId, HIGHER, LOWER];
      await session.join();
      expect(session.state).to.equal('joined');
      expect(rest.transport().dialled.map((link) => link.remoteId)).to.deep.equal([LOWER, HIGHER]);
      expect(log.of('state')).to.deep.equal(['joining', 'joined']);
    });

    it('calls those the server listed at registration, with no request of its own', async () => {
      const factory = fakeTransportFactory();
      const { session, api } = setup({
        createTransport: (options) => {
          const transport = factory(options) as FakeTransport;
          transport.listedAtRegistration = [LOWER, options.id, HIGHER];
          return transport;
        },
      });
      api.peers = [LOWER];
      await session.join();
      const [transport] = factory.made;
      expect(transport.dialled.map((link) => link.remoteId)).to.deep.equal([LOWER, HIGHER]);
      await aTimeout(0);
      expect(api.roomPeerCalls).to.equal(0);
    });

    it('lists the room once registered when the server did not say at registration', async () => {
      const factory = fakeTransportFactory();
      let listsBeforeRegistering = -1;
      const { session, api } = setup({
        createTransport: (options) => {
          const transport = factory(options) as FakeTransport;
          const open = transport.open.bind(transport);
          transport.open = () => {
            listsBeforeRegistering = api.roomPeerCalls;
            return open();
          };
          return transport;
        },
      });
      api.peers = [LOWER, session.peerId, HIGHER];
      await session.join();
      const [transport] = factory.made;
      expect(listsBeforeRegistering, 'lists asked for before registering').to.equal(0);
      expect(transport.dialled.map((link) => link.remoteId)).to.deep.equal([LOWER, HIGHER]);
      await aTimeout(0);
      expect(api.roomPeerCalls).to.equal(1);
    });

    it('registers under a fresh peer ID of the room, with the server’s PeerServer and ICE', async () => {
      const { session, api, ...rest } = setup({ iceTransportPolicy: 'relay' });
      await session.join();
      const { options } = rest.transport();
      expect(session.peerId).to.match(new RegExp(`^${ROOM}_[0-9a-f]{16}$`));
      expect(options.id).to.equal(session.peerId);
      expect(options.server.href).to.equal(api.base.href);
      expect(options).to.include({ path: '/peerjs', key: 'rtc', iceTransportPolicy: 'relay' });
      expect(options.iceServers).to.deep.equal(SERVER_ICE);
      expect(rest.transport().isOpen).to.equal(true);
    });

    it('uses the page’s ICE servers without asking the server', async () => {
      const mine: RTCIceServer[] = [{ urls: ['stun:10.0.0.1'] }];
      const { session, api, ...rest } = setup({ iceServers: mine });
      await session.join();
      expect(rest.transport().options.iceServers).to.deep.equal(mine);
      expect(api.iceCalls).to.equal(0);
    });

    it('rejects an invalid room ID with bad-room-id and enters error', async () => {
      const { session, log, made } = setup({ roomId: 'no' });
      const error = await rejection(session.join());
      expect(error.code).to.equal('bad-room-id');
      expect(session.state).to.equal('error');
      expect(log.of('state')).to.deep.equal(['joining', 'error']);
      expect(log.of('error').map((e) => e.code)).to.deep.equal(['bad-room-id']);
      expect(made).to.have.length(0);
    });

    it('rejects with server-unreachable and enters error when the server cannot be reached', async () => {
      const unreachable = new ServerApi(new URL('http://127.0.0.1:9'), () =>
        Promise.reject(new TypeError('Failed to fetch')),
      );
      const { session, log, made } = setup({ api: unreachable });
      const error = await rejection(session.join());
      expect(error.code).to.equal('server-unreachable');
      expect(session.state).to.equal('error');
      expect(log.of('error').map((e) => e.code)).to.deep.equal(['server-unreachable']);
      expect(made).to.have.length(0);
    });

    it('joins without devices when the camera and microphone are refused, reporting permission-denied', async () => {
      const refusing: MediaDevicesLike = {
        getUserMedia: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
      };
      const { session, log } = setup({
        media: new LocalMedia(refusing),
        startWith: { audio: true, video: true },
      });
      await session.join();
      expect(session.state).to.equal('joined');
      const codes = log.of('error').map((e) => e.code);
      expect(codes).to.have.length.above(0);
      expect(new Set(codes)).to.deep.equal(new Set(['permission-denied']));
      expect(session.participants[0]).to.include({
        isLocal: true,
        hasAudio: false,
        hasVideo: false,
      });
    });

    it('opens the camera and microphone asked for', async () => {
      const { session } = setup({ startWith: { audio: true, video: true }, name: 'Ada' });
      await session.join();
      const local = session.participants[0];
      expect(local).to.include({ id: session.peerId, name: 'Ada', isLocal: true });
      expect(local).to.include({ hasAudio: true, hasVideo: true });
      expect(local.stream?.getVideoTracks()[0].readyState).to.equal('live');
    });

    // Known bug (see report): devices that open after a failed join are never released.
    it('releases devices that finish opening after the join failed', async () => {
      const devices = recordingDevices();
      const unreachable = new ServerApi(new URL('http://127.0.0.1:9'), () =>
        Promise.reject(new TypeError('Failed to fetch')),
      );
      const { session } = setup({
        api: unreachable,
        media: new LocalMedia(devices),
        startWith: { audio: true, video: true },
      });
      await rejection(session.join());
      expect(await liveTracksOf(devices.opened)).to.deep.equal([]);
    });

    // Known bug (see report): same race when leaving while the devices are still opening.
    it('releases devices that finish opening after leaving mid-join', async () => {
      const devices = recordingDevices();
      const { session, api } = setup({
        media: new LocalMedia(devices),
        startWith: { audio: true, video: true },
      });
      api.config = () => new Promise(() => undefined);
      void session.join();
      session.leave();
      expect(session.state).to.equal('left');
      expect(await liveTracksOf(devices.opened)).to.deep.equal([]);
    });
  });

  describe('peers', () => {
    it('sends its hello when a link opens', async () => {
      const { session, api, ...rest } = setup({ name: 'Me' });
      api.peers = [HIGHER];
      await session.join();
      const [link] = rest.transport().dialled;
      expect(link.sent).to.deep.equal([]);
      link.fire('open', undefined);
      expect(link.sentMessages).to.deep.equal([
        { v: 1, type: 'hello', name: 'Me', audio: false, video: false },
      ]);
    });

    it('shows a peer once its stream comes, and fires peer-join only after its hello', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      const [link] = rest.transport().dialled;
      const stream = new MediaStream();
      expect(remoteIds(session)).to.deep.equal([]);
      link.fire('stream', stream);
      expect(remoteIds(session)).to.deep.equal([HIGHER]);
      link.fire('open', undefined);
      link.fire('state', 'connected');
      expect(session.participants[1]).to.deep.include({ name: '', stream });
      expect(log.count('peer-join')).to.equal(0);

      link.fire('message', hello('Grace', { audio: false, video: true }));
      const expected: Partial<Participant> = {
        id: HIGHER,
        name: 'Grace',
        isLocal: false,
        hasAudio: false,
        hasVideo: true,
        stream,
      };
      expect(log.count('peer-join')).to.equal(1);
      expect(log.of('peer-join')[0]).to.deep.include(expected);
      expect(session.participants).to.have.length(2);
      expect(session.participants[1]).to.deep.include(expected);
    });

    it('cleans the name a peer announces', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      makeReady(rest.transport().dialled[0], '\u202E  Mallory\n\u0000 ');
      expect(log.of('peer-join')[0].name).to.equal('Mallory');
      expect(session.participants[1].name).to.equal('Mallory');
    });

    it('updates a peer on a later hello without announcing it again', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      const [link] = rest.transport().dialled;
      makeReady(link, 'Grace');
      const before = log.count('participants');
      link.fire('message', hello('Grace H.', { audio: false }));
      expect(log.count('peer-join')).to.equal(1);
      expect(log.count('participants')).to.equal(before + 1);
      expect(session.participants[1]).to.include({ name: 'Grace H.', hasAudio: false });
    });

    it('removes a peer that says bye, with peer-leave, and never redials it', async () => {
      const { session, api, log, ...rest } = setup({ recheckIntervalMs: 10 });
      api.peers = [HIGHER];
      await session.join();
      const [link] = rest.transport().dialled;
      makeReady(link, 'Grace');
      link.fire('message', BYE);
      expect(log.of('peer-leave').map((p) => p.id)).to.deep.equal([HIGHER]);
      expect(remoteIds(session)).to.deep.equal([]);
      expect(link.isClosed).to.equal(true);

      // The server still lists it (its socket lingers); re-checks must leave it alone.
      const calls = api.roomPeerCalls;
      await waitUntil(() => api.roomPeerCalls >= calls + 3, 're-checks ran');
      expect(rest.transport().dialled).to.have.length(1);
    });

    it('removes a peer whose link closes, and heals the pair on a re-check', async () => {
      const { session, api, log, ...rest } = setup({ recheckIntervalMs: 10 });
      api.peers = [HIGHER];
      await session.join();
      const [link] = rest.transport().dialled;
      makeReady(link, 'Grace');
      link.close();
      expect(log.of('peer-leave').map((p) => p.id)).to.deep.equal([HIGHER]);
      expect(remoteIds(session)).to.deep.equal([]);
      await waitUntil(() => rest.transport().dialled.length === 2, 'redialled');
      expect(rest.transport().dialled[1].remoteId).to.equal(HIGHER);
    });

    it('removes a peer at once when its connection fails', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      const [link] = rest.transport().dialled;
      makeReady(link);
      link.fire('state', 'failed');
      expect(log.count('peer-leave')).to.equal(1);
      expect(link.isClosed).to.equal(true);
    });

    it('keeps a disconnected peer as reconnecting until 20 s after its last frame', async () => {
      const clock = new FakeClock();
      const { session, api, log, ...rest } = setup({ clock });
      api.peers = [LOWER, HIGHER];
      await session.join();
      const [lost, flaky] = rest.transport().dialled;
      makeReady(lost, 'Lost');
      makeReady(flaky, 'Flaky');
      lost.fire('state', 'disconnected');
      flaky.fire('state', 'disconnected');
      expect(connectionStates(session)).to.deep.equal({
        [LOWER]: 'reconnecting',
        [HIGHER]: 'reconnecting',
      });
      clock.tick(100);
      flaky.fire('message', HEARTBEAT);
      expect(connectionStates(session)).to.deep.equal({
        [LOWER]: 'reconnecting',
        [HIGHER]: 'connected',
      });
      const deadline = DEFAULT_LIVENESS.silenceMs + DEFAULT_LIVENESS.reconnectWindowMs;
      while (clock.now() + 1_000 < deadline) {
        clock.tick(1_000);
        flaky.fire('message', HEARTBEAT);
      }
      clock.tick(deadline - 1 - clock.now());
      expect(remoteIds(session), 'still within the window').to.deep.equal([LOWER, HIGHER]);
      clock.tick(1);
      expect(log.of('peer-leave').map((p) => p.id)).to.deep.equal([LOWER]);
      expect(remoteIds(session)).to.deep.equal([HIGHER]);
      expect(lost.isClosed).to.equal(true);
      expect(flaky.isClosed).to.equal(false);
    });

    it('accepts a peer that dials in, answering with the outgoing stream', async () => {
      const { session, media, log, ...rest } = setup();
      await session.join();
      const link = rest.transport().ring(LOWER);
      expect(link.acceptedStream).to.equal(media.outgoing);
      expect(link.isClosed).to.equal(false);
      makeReady(link, 'Caller');
      expect(log.of('peer-join').map((p) => p.name)).to.deep.equal(['Caller']);
    });

    it('drops malformed messages from a peer without throwing or changing it', async () => {
      const { session, api, log, ...rest } = setup();
      api.peers = [HIGHER];
      await session.join();
      const [link] = rest.transport().dialled;
      makeReady(link, 'Grace');
      const before = [...log.entries];
      const logged: unknown[] = [];
      const consoleError = console.error;
      console.error = (...args: unknown[]) => logged.push(args);
      try {
        for (const junk of [
          42,
          null,
          new ArrayBuffer(4),
          '{',
          '{"v":1,"type":"hello","name":5,"audio":true,"video":true}',
          '{"v":2,"type":"bye"}',
          '{"v":1,"type":"nonsense"}',
          'x'.repeat(10_000),
        ]) {
          link.fire('message', junk);
        }
      } finally {
        console.error = consoleError;
      }
      expect(logged, 'nothing threw inside a listener').to.deep.equal([]);
      expect(log.entries).to.deep.equal(before);
      expect(session.participants[1]).to.include({ id: HIGHER, name: 'Grace' });
      expect(link.isClosed).to.equal(false);
    });
  });

  describe('TURN credentials', () => {
    it('renews ICE servers from the server before they expire', async () => {
      const { session, api, ...rest } = setup({ minIceRenewalMs: 10 });
      api.iceExpiresAt = Date.now() + 100;
      await session.join();
      await waitUntil(() => rest.transport().iceServerUpdates.length > 0, 'renewed');
      expect(rest.transport().iceServerUpdates[0]).to.deep.equal(SERVER_ICE);
      expect(api.iceCalls).to.be.greaterThan(1);
    });

    it('does not renew ICE servers that do not expire', async () => {
      const { session, api, ...rest } = setup({ minIceRenewalMs: 10 });
      await session.join();
      await aTimeout(100);
      expect(rest.transport().iceServerUpdates).to.have.length(0);
      expect(api.iceCalls).to.equal(1);
    });
  });

  describe('leaving', () => {
    it('says bye on every link, closes everything, releases devices and stays quiet', async () => {
      const { session, api, media, log, ...rest } = setup({
        startWith: { audio: true, video: true },
      });
      api.peers = [LOWER, HIGHER];
      await session.join();
      const links = rest.transport().dialled;
      for (const link of links) makeReady(link);
      const tracks = media.outgoing.getTracks();
      expect(tracks.map((t) => t.readyState)).to.deep.equal(['live', 'live']);
      const eventsBefore = log.entries.length;

      session.leave();
      expect(session.state).to.equal('left');
      for (const link of links) {
        expect(lastSent(link), link.remoteId).to.deep.equal({ v: 1, type: 'bye' });
        expect(link.isClosed, link.remoteId).to.equal(true);
      }
      expect(rest.transport().isDestroyed).to.equal(true);
      expect(tracks.map((t) => t.readyState)).to.deep.equal(['ended', 'ended']);
      expect(media.isCameraEnabled).to.equal(false);
      expect(media.isMicrophoneEnabled).to.equal(false);
      const after = log.entries.slice(eventsBefore);
      expect(after.map(([type]) => type)).to.deep.equal(['state']);
      expect(log.count('peer-leave')).to.equal(0);
    });

    it('leaves only once', async () => {
      const { session, log } = setup();
      await session.join();
      session.leave();
      session.leave();
      expect(log.of('state')).to.deep.equal(['joining', 'joined', 'left']);
    });

    it('does nothing when it never joined', () => {
      const { session, log } = setup();
      session.leave();
      expect(session.state).to.equal('idle');
      expect(log.entries).to.deep.equal([]);
    });

    it('refuses a link that rings after leaving', async () => {
      const { session, ...rest } = setup();
      await session.join();
      const transport = rest.transport();
      session.leave();
      const link = transport.ring(LOWER);
      expect(link.isClosed).to.equal(true);
      expect(link.acceptedStream).to.equal(null);
    });
  });

  describe('local changes', () => {
    async function twoReadyPeers(): Promise<Setup & { links: FakeLink[] }> {
      const setupResult = setup();
      setupResult.api.peers = [LOWER, HIGHER];
      await setupResult.session.join();
      const links = setupResult.transport().dialled;
      for (const link of links) {
        makeReady(link);
        link.sent.length = 0;
      }
      return Object.assign(setupResult, { links });
    }

    it('replaces the video on every link and says hello again when the camera turns on and off', async () => {
      const { session, media, links } = await twoReadyPeers();
      await session.setCameraEnabled(true);
      const camera = media.preview?.getVideoTracks()[0];
      expect(camera?.readyState).to.equal('live');
      for (const link of links) {
        expect(link.replacedTracks, link.remoteId).to.deep.equal([
          { kind: 'video', track: camera },
        ]);
        expect(lastSent(link), link.remoteId).to.deep.include({ type: 'hello', video: true });
      }

      await session.setCameraEnabled(false);
      expect(camera?.readyState).to.equal('ended');
      for (const link of links) {
        const [, off] = link.replacedTracks;
        expect(off.kind).to.equal('video');
        expect(off.track).to.not.equal(camera);
        expect(off.track?.readyState).to.equal('live');
        expect(lastSent(link), link.remoteId).to.deep.include({ type: 'hello', video: false });
      }
      expect(session.participants[0].hasVideo).to.equal(false);
    });

    it('replaces the audio on every link and says hello again when the microphone turns on', async () => {
      const { session, links } = await twoReadyPeers();
      await session.setMicrophoneEnabled(true);
      for (const link of links) {
        expect(link.replacedTracks.map((r) => r.kind)).to.deep.equal(['audio']);
        expect(lastSent(link)).to.deep.include({ type: 'hello', audio: true });
      }
      expect(session.participants[0].hasAudio).to.equal(true);
    });

    it('tells every peer a new name', async () => {
      const { session, links } = await twoReadyPeers();
      session.setName('Renamed');
      for (const link of links) expect(lastSent(link)).to.deep.include({ name: 'Renamed' });
      expect(session.participants[0].name).to.equal('Renamed');
    });
  });

  describe('signalling', () => {
    it('reports a lost and a regained signalling server while staying joined', async () => {
      const { session, log, ...rest } = setup();
      await session.join();
      rest.transport().fire('disconnected', new RoomError('signalling-lost', 'socket closed'));
      rest.transport().fire('reconnected', undefined);
      expect(log.of('signalling')).to.deep.equal([false, true]);
      expect(log.of('error').map((e) => e.code)).to.deep.equal(['signalling-lost']);
      expect(session.state).to.equal('joined');
    });

    it('reports one outage once, however many retries fail', async () => {
      const { session, log, ...rest } = setup();
      await session.join();
      for (let retry = 0; retry < 5; retry++) {
        rest.transport().fire('disconnected', new RoomError('signalling-lost', 'retry failed'));
      }
      rest.transport().fire('reconnected', undefined);
      rest.transport().fire('reconnected', undefined);
      expect(log.of('signalling')).to.deep.equal([false, true]);
      expect(log.of('error').map((e) => e.code)).to.deep.equal(['signalling-lost']);
    });

    it('tells every peer when it is back, and retries at once when a peer says it is back', async () => {
      const { session, api, ...rest } = setup();
      api.peers = [LOWER, HIGHER];
      await session.join();
      const links = rest.transport().dialled;
      for (const link of links) makeReady(link);
      const transport = rest.transport();
      transport.fire('disconnected', new RoomError('signalling-lost', 'socket closed'));
      links[0].fire('message', encodeMessage({ v: PROTOCOL_VERSION, type: 'signalling-back' }));
      expect(transport.signallingRetries).to.equal(1);
      transport.fire('reconnected', undefined);
      for (const link of links) {
        expect(link.sentMessages.filter((m) => m.type === 'signalling-back')).to.have.length(1);
      }
    });
  });
});
