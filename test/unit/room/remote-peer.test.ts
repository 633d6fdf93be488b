import { expect } from '@open-wc/testing';
import {
  PROTOCOL_VERSION,
  encodeMessage,
  type HelloMessage,
} from '../../../src/protocol/messages.js';
import { DEFAULT_LIVENESS } from '../../../src/room/liveness-policy.js';
import {
  CONNECT_TIMEOUT_MS,
  RemotePeer,
  type RemotePeerEvents,
} from '../../../src/room/remote-peer.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeLink } from '../support/fake-transport.js';

const OWN_HELLO: HelloMessage = {
  v: PROTOCOL_VERSION,
  type: 'hello',
  name: 'Me',
  audio: true,
  video: false,
};

function peerWithLog(
  clock = new FakeClock(),
  previous?: RemotePeer,
): {
  link: FakeLink;
  peer: RemotePeer;
  events: Array<[keyof RemotePeerEvents, unknown]>;
} {
  const link = new FakeLink('room1234_a', true);
  const peer = new RemotePeer(link, () => OWN_HELLO, undefined, { clock, previous });
  const events: Array<[keyof RemotePeerEvents, unknown]> = [];
  peer.on('ready', () => events.push(['ready', undefined]));
  peer.on('update', () => events.push(['update', undefined]));
  peer.on('reconnecting', () => events.push(['reconnecting', undefined]));
  peer.on('gone', (payload) => events.push(['gone', payload]));
  return { link, peer, events };
}

const HEARTBEAT = encodeMessage({ v: PROTOCOL_VERSION, type: 'heartbeat' });
const { heartbeatMs, suspectMs, silenceMs, reconnectWindowMs } = DEFAULT_LIVENESS;

const helloFrom = (name: string): string => encodeMessage({ ...OWN_HELLO, name });

describe('RemotePeer', () => {
  it('counts and drops every malformed message, staying as it was', () => {
    const { link, peer, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    const junk: unknown[] = [
      7,
      undefined,
      { type: 'bye' },
      'not json',
      '{"v":1}',
      '{"v":1,"type":"hello","name":"x","audio":"yes","video":true}',
      '{"v":9,"type":"bye"}',
    ];
    for (const raw of junk) link.fire('message', raw);
    expect(peer.droppedMessages).to.equal(junk.length);
    expect(events).to.deep.equal([['ready', undefined]]);
    expect(peer.toParticipant().name).to.equal('Grace');
    expect(link.isClosed).to.equal(false);
  });

  it('is not ready, and not counted as dropping, before any message', () => {
    const { peer } = peerWithLog();
    expect(peer.isReady).to.equal(false);
    expect(peer.droppedMessages).to.equal(0);
    expect(peer.toParticipant()).to.deep.include({ name: '', hasAudio: false, hasVideo: false });
  });

  it('is shown, nameless and with what its stream carries, once its stream comes', () => {
    const { link, peer, events } = peerWithLog();
    const camera = document.createElement('canvas').captureStream().getVideoTracks()[0];
    const first = new MediaStream([camera]);
    const second = new MediaStream();
    expect(peer.isShown).to.equal(false);
    link.fire('stream', first);
    expect(events.map(([type]) => type)).to.deep.equal(['update']);
    // Its connection comes after: nothing new to show for it.
    link.fire('state', 'connected');
    expect(events.map(([type]) => type)).to.deep.equal(['update']);
    expect(peer.isShown).to.equal(true);
    expect(peer.isReady).to.equal(false);
    expect(peer.toParticipant()).to.deep.include({
      name: '',
      hasVideo: true,
      hasAudio: false,
      stream: first,
    });
    expect(peer.toParticipant().connection?.state).to.equal('connecting');
    link.fire('message', helloFrom('Grace'));
    expect(peer.toParticipant().stream).to.equal(first);
    link.fire('stream', first);
    link.fire('stream', second);
    expect(events.map(([type]) => type)).to.deep.equal(['update', 'ready', 'update']);
    expect(peer.toParticipant().stream).to.equal(second);
    camera.stop();
  });

  it('is gone once, as having left, after bye', () => {
    const { link, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    link.fire('message', encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' }));
    link.fire('close', undefined);
    link.fire('message', encodeMessage({ v: PROTOCOL_VERSION, type: 'bye' }));
    expect(events).to.deep.equal([
      ['ready', undefined],
      ['gone', 'left'],
    ]);
    expect(link.isClosed).to.equal(true);
  });

  it('is gone as closed when the link of a ready peer closes', () => {
    const { link, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    link.close();
    expect(events.at(-1)).to.deep.equal(['gone', 'closed']);
  });

  it('is gone as failed when its link closes before any hello', () => {
    const { link, events } = peerWithLog();
    link.close();
    expect(events).to.deep.equal([['gone', 'failed']]);
  });

  it('is gone as failed when its connection fails', () => {
    const { link, events } = peerWithLog();
    link.fire('message', helloFrom('Grace'));
    link.fire('state', 'failed');
    expect(events.at(-1)).to.deep.equal(['gone', 'failed']);
    expect(link.isClosed).to.equal(true);
  });

  it('is gone as finding no path when its connection fails before any hello', () => {
    const { link, events } = peerWithLog();
    link.fire('state', 'failed');
    expect(events).to.deep.equal([['gone', 'no-path']]);
    expect(link.isClosed).to.equal(true);
  });

  it('is gone as finding no path when no hello comes within CONNECT_TIMEOUT_MS', () => {
    const clock = new FakeClock();
    const { link, events } = peerWithLog(clock);
    clock.tick(CONNECT_TIMEOUT_MS - 1);
    expect(events).to.deep.equal([]);
    clock.tick(1);
    expect(events).to.deep.equal([['gone', 'no-path']]);
    expect(link.isClosed).to.equal(true);
  });

  it('sends bye before closing when leaving', () => {
    const { link, peer, events } = peerWithLog();
    peer.leave();
    expect(link.sentMessages).to.deep.equal([{ v: PROTOCOL_VERSION, type: 'bye' }]);
    expect(link.isClosed).to.equal(true);
    expect(events).to.deep.equal([['gone', 'left']]);
  });

  describe('video encoding', () => {
    /** Statistics whose selected pair reports `bps` of available outgoing bandwidth. */
    const uplink = (bps: number) => {
      const pair = { type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R' };
      return new Map<string, Record<string, unknown>>([
        ['T', { type: 'transport', selectedCandidatePairId: 'P' }],
        ['P', { ...pair, availableOutgoingBitrate: bps }],
        ['L', { type: 'local-candidate', candidateType: 'host' }],
        ['R', { type: 'remote-candidate', candidateType: 'host' }],
      ]) as unknown as RTCStatsReport;
    };

    /** Reads the statistics, adapts, and returns the bitrate last set (kbit/s). */
    async function adaptWith(link: FakeLink, peer: RemotePeer, bps: number): Promise<number> {
      link.stats = uplink(bps);
      await peer.refreshPath();
      await peer.adaptEncoding(2);
      return (link.videoEncodings.at(-1)?.maxBitrate ?? 0) / 1000;
    }

    it('steps down a rung at a time while the measured uplink falls short, and back up', async () => {
      const { link, peer } = peerWithLog();
      link.fire('message', helloFrom('Grace'));
      const steps = [];
      for (const bps of [5_000_000, 500_000, 500_000, 350_000, 2_000_000, 2_000_000]) {
        steps.push(await adaptWith(link, peer, bps));
      }
      expect(steps).to.deep.equal([900, 600, 400, 300, 400, 600]);
    });

    it('sets nothing again while the rung stays the same', async () => {
      const { link, peer } = peerWithLog();
      await adaptWith(link, peer, 5_000_000);
      await adaptWith(link, peer, 5_000_000);
      expect(link.videoEncodings).to.have.length(1);
    });
  });

  describe('liveness', () => {
    /** A peer whose link opened and who said hello at time 0. */
    function heardPeer() {
      const clock = new FakeClock();
      const setup = peerWithLog(clock);
      setup.link.fire('open', undefined);
      setup.link.fire('message', helloFrom('Grace'));
      return { clock, ...setup };
    }

    const heartbeatsSent = (link: FakeLink) =>
      link.sentMessages.filter((m) => m.type === 'heartbeat').length;

    it('sends a heartbeat every heartbeatMs once its channel is open', () => {
      const { clock, link } = heardPeer();
      clock.tick(heartbeatMs - 1);
      expect(heartbeatsSent(link)).to.equal(0);
      clock.tick(1);
      expect(heartbeatsSent(link)).to.equal(1);
      clock.tick(heartbeatMs * 4);
      expect(heartbeatsSent(link)).to.equal(5);
    });

    it('stays connected while anything at all arrives, however slowly', () => {
      const { clock, link, peer, events } = heardPeer();
      for (let i = 0; i < 20; i++) {
        clock.tick(silenceMs - 1);
        link.fire('message', i % 2 ? HEARTBEAT : '{"v":1,"type":"chat","id":"x"}');
      }
      expect(peer.connectionState).to.equal('connected');
      expect(events.map(([type]) => type)).to.deep.equal(['ready']);
    });

    it('shows a silent peer as reconnecting 5 s after its last frame, not before', () => {
      const { clock, link, peer, events } = heardPeer();
      clock.tick(1_000);
      link.fire('message', HEARTBEAT);
      clock.tick(silenceMs - 1);
      expect(peer.connectionState).to.equal('connected');
      expect(peer.isReachable).to.equal(true);
      clock.tick(1);
      expect(peer.connectionState).to.equal('reconnecting');
      expect(peer.toParticipant().connection?.state).to.equal('reconnecting');
      expect(peer.isReachable).to.equal(false);
      expect(peer.isReady, 'keeps its tile').to.equal(true);
      expect(events.map(([type]) => type)).to.deep.equal(['ready', 'update', 'reconnecting']);
    });

    it('is quiet once, suspectMs after its last frame, and again only after it was heard', () => {
      const { clock, link, peer } = heardPeer();
      let quiet = 0;
      peer.on('quiet', () => quiet++);
      clock.tick(suspectMs - 1);
      expect(quiet).to.equal(0);
      clock.tick(1);
      expect(quiet).to.equal(1);
      expect(peer.connectionState, 'quiet is not yet reconnecting').to.equal('connected');
      clock.tick(silenceMs);
      expect(quiet).to.equal(1);
      link.fire('message', HEARTBEAT);
      clock.tick(suspectMs);
      expect(quiet).to.equal(2);
    });

    it('is quiet at once when ICE loses the path', () => {
      const { link, peer } = heardPeer();
      let quiet = 0;
      peer.on('quiet', () => quiet++);
      link.fire('state', 'disconnected');
      expect(quiet).to.equal(1);
      expect(peer.connectionState).to.equal('reconnecting');
    });

    /** The peer keeps sending heartbeats for `ms`. */
    function keepBeating(clock: FakeClock, link: FakeLink, ms: number): void {
      for (let waited = 0; waited < ms; waited += heartbeatMs) {
        clock.tick(heartbeatMs);
        link.fire('message', HEARTBEAT);
      }
    }

    it('is connected again as soon as it is heard, and then not removed', () => {
      const { clock, link, peer, events } = heardPeer();
      clock.tick(silenceMs + 3_000);
      link.fire('message', HEARTBEAT);
      expect(peer.connectionState).to.equal('connected');
      keepBeating(clock, link, reconnectWindowMs * 2);
      expect(peer.connectionState).to.equal('connected');
      expect(events.map(([type]) => type)).to.not.include('gone');
    });

    it('removes a peer still silent 15 s after it was shown as reconnecting', () => {
      const { clock, link, events } = heardPeer();
      clock.tick(silenceMs + reconnectWindowMs - 1);
      expect(events.map(([type]) => type)).to.not.include('gone');
      clock.tick(1);
      expect(events.at(-1)).to.deep.equal(['gone', 'failed']);
      expect(link.isClosed).to.equal(true);
      expect(clock.pendingTimers, 'no timer left behind').to.equal(0);
    });

    it('shows an ICE disconnection at once, asks for a fresh call only after the silence', () => {
      const { clock, link, peer, events } = heardPeer();
      clock.tick(1_000);
      link.fire('state', 'disconnected');
      expect(peer.connectionState).to.equal('reconnecting');
      expect(events.map(([type]) => type)).to.deep.equal(['ready', 'update']);
      clock.tick(silenceMs - 1_000);
      expect(events.map(([type]) => type)).to.deep.equal(['ready', 'update', 'reconnecting']);
      clock.tick(reconnectWindowMs - 1);
      expect(events.map(([type]) => type)).to.not.include('gone');
      clock.tick(1);
      expect(events.at(-1)).to.deep.equal(['gone', 'failed']);
    });

    it('recovers from an ICE disconnection that heals before the silence', () => {
      const { clock, link, peer, events } = heardPeer();
      link.fire('state', 'disconnected');
      clock.tick(1_500);
      link.fire('state', 'connected');
      link.fire('message', HEARTBEAT);
      expect(peer.connectionState).to.equal('connected');
      keepBeating(clock, link, reconnectWindowMs * 2);
      expect(events.map(([type]) => type)).to.not.include('reconnecting');
      expect(events.map(([type]) => type)).to.not.include('gone');
    });

    it('hands its tile to a link that replaces it, keeping the removal deadline', () => {
      const { clock, link, peer: old } = heardPeer();
      const stream = new MediaStream();
      link.fire('stream', stream);
      clock.tick(silenceMs + 4_000);
      const fresh = peerWithLog(clock, old);
      old.close();
      expect(fresh.peer.isReady).to.equal(true);
      expect(fresh.peer.toParticipant()).to.deep.include({ name: 'Grace', stream });
      expect(fresh.peer.connectionState).to.equal('reconnecting');
      clock.tick(reconnectWindowMs - 4_000);
      expect(fresh.events.at(-1)).to.deep.equal(['gone', 'failed']);
    });

    it('is connected once the replacing link carries a hello, announced as ready', () => {
      const { clock, peer: old } = heardPeer();
      clock.tick(silenceMs);
      const fresh = peerWithLog(clock, old);
      fresh.link.fire('open', undefined);
      fresh.link.fire('message', helloFrom('Grace'));
      expect(fresh.peer.connectionState).to.equal('connected');
      expect(fresh.events.map(([type]) => type)).to.include('ready');
      keepBeating(clock, fresh.link, reconnectWindowMs * 2);
      expect(fresh.events.map(([type]) => type)).to.not.include('gone');
    });

    it('passes on a peer’s word that the signalling server is back', () => {
      const { link, peer } = heardPeer();
      let hints = 0;
      peer.on('signalling-back', () => hints++);
      link.fire('message', encodeMessage({ v: PROTOCOL_VERSION, type: 'signalling-back' }));
      expect(hints).to.equal(1);
    });
  });
});
