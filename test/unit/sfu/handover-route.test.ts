import { expect } from '@open-wc/testing';
import type { MediaRouteEvents, RoutePeer } from '../../../src/room/media-route.js';
import type { RoomSessionOptions } from '../../../src/room/room-session.js';
import {
  HANDOVER_GRACE_MS,
  HANDOVER_TIMEOUT_MS,
  HandoverRoute,
} from '../../../src/sfu/handover-route.js';
import { SfuPeer } from '../../../src/sfu/sfu-peer.js';
import { FakeClock } from '../support/fake-clock.js';
import { FakeRoute, FakeSfu, meshPeer, sfuPeer } from '../support/fake-route.js';

const TICKET = { url: 'ws://janus.test', room: 'r', token: 't', roomToken: 'rt' };

/** A handover from a fake mesh to a fake SFU, and what it told the session. */
function handover(meshPeers: RoutePeer[] = []) {
  const clock = new FakeClock();
  const mesh = new FakeRoute();
  mesh.peers = meshPeers;
  let sfu!: FakeSfu;
  const session = { clock, iceServers: [], roomId: 'room-1', iceTransportPolicy: 'all' };
  const route = new HandoverRoute(
    mesh,
    session as unknown as RoomSessionOptions,
    'room-1_self',
    () => ({ v: 1, type: 'hello', name: 'me', audio: true, video: true }),
    () => (sfu = new FakeSfu()),
  );
  const told: Array<[keyof MediaRouteEvents, unknown]> = [];
  for (const type of ['ready', 'update', 'gone', 'mode', 'error', 'message'] as const) {
    route.on(type, (payload: unknown) => told.push([type, payload]));
  }
  const shownStreamOf = (id: string) =>
    route.peers.find((peer) => peer.id === id)?.toParticipant().stream ?? null;
  return { clock, mesh, sfu, route, told, shownStreamOf };
}

describe('HandoverRoute', () => {
  it('shows each peer on the mesh until its stream plays through Janus, then closes the mesh', () => {
    const a = meshPeer('room-1_a');
    const b = meshPeer('room-1_b');
    const { clock, mesh, sfu, route, told } = handover([a, b]);
    route.take({ event: 'sfu', ticket: TICKET });
    expect(sfu.notices).to.have.length(1);
    sfu.connect();
    expect(route.mode).to.equal('mesh');
    const aViaSfu = sfuPeer('room-1_a');
    sfu.play(aViaSfu);
    expect(route.peers.find((peer) => peer.id === 'room-1_a')).to.equal(aViaSfu);
    expect(route.peers.find((peer) => peer.id === 'room-1_b')).to.equal(b);
    expect(mesh.closedWithGoodbye, 'b still plays on the mesh').to.equal(null);
    sfu.play(sfuPeer('room-1_b'));
    clock.tick(HANDOVER_GRACE_MS - 1);
    expect(mesh.closedWithGoodbye, 'playing on for the others’ switch').to.equal(null);
    clock.tick(1);
    expect(mesh.closedWithGoodbye, 'closed, and without a goodbye').to.equal(false);
    expect(route.mode).to.equal('sfu');
    expect(told.filter(([type]) => type === 'mode')).to.deep.equal([['mode', 'sfu']]);
    expect(told.filter(([type]) => type === 'gone')).to.deep.equal([]);
  });

  it('shows a peer the mesh has not reached through Janus at once, so its tile asks for video', () => {
    const unanswered = meshPeer('room-1_a', { isShown: false });
    const { sfu, route } = handover([unanswered]);
    sfu.connect();
    expect(route.peers[0], 'nobody to show yet').to.equal(unanswered);
    const viaSfu = sfuPeer('room-1_a', { hasMedia: false });
    sfu.peers = [viaSfu];
    expect(route.peers[0], 'named through Janus, before its first frame').to.equal(viaSfu);
    expect(route.peers[0].isShown).to.equal(true);
  });

  it('shows a peer publishing on Janus before its hello comes, unnamed', () => {
    const { sfu, route } = handover([meshPeer('room-1_a', { isShown: false })]);
    sfu.connect();
    const live = new SfuPeer('room-1_a');
    live.isLive = true;
    sfu.peers = [live];
    expect(route.peers[0]).to.equal(live);
    expect(live.isShown).to.equal(true);
    expect(live.toParticipant().name).to.equal('');
  });

  it('keeps the stream a tile was given, moving the tracks from Janus into it', () => {
    const meshStream = new MediaStream();
    const a = { ...meshPeer('room-1_a'), toParticipant: () => ({ stream: meshStream }) };
    const { sfu, route, shownStreamOf } = handover([a as unknown as RoutePeer]);
    expect(shownStreamOf('room-1_a')).to.equal(meshStream);
    sfu.connect();
    const viaSfu = sfuPeer('room-1_a');
    const canvas = document.createElement('canvas');
    const track = canvas.captureStream().getVideoTracks()[0];
    viaSfu.stream = new MediaStream([track]);
    sfu.play(viaSfu);
    expect(shownStreamOf('room-1_a')).to.equal(meshStream);
    expect(meshStream.getTracks()).to.deep.equal([track]);
    expect(route.peers[0].isReachable).to.equal(true);
    track.stop();
  });

  it('keeps the video a tile was given when the mesh closes before its first frame via Janus', () => {
    const meshStream = new MediaStream();
    const a = {
      ...meshPeer('room-1_a'),
      toParticipant: () => ({ stream: meshStream, hasVideo: true }),
    };
    const { clock, mesh, sfu, route, shownStreamOf } = handover([a as unknown as RoutePeer]);
    expect(shownStreamOf('room-1_a')).to.equal(meshStream);
    sfu.peers = [sfuPeer('room-1_a', { hasMedia: false })];
    sfu.connect();
    mesh.peers = [];
    clock.tick(HANDOVER_TIMEOUT_MS);
    expect(route.mode).to.equal('sfu');
    expect(shownStreamOf('room-1_a') === meshStream, 'the same stream, so the same video').to.equal(
      true,
    );
    expect(route.peers[0].toParticipant().hasVideo, 'covered until a frame comes').to.equal(false);
  });

  it('keeps a peer whose mesh link closed first on screen until its stream comes through Janus', () => {
    const a = meshPeer('room-1_a');
    const { clock, mesh, sfu, route, told } = handover([a]);
    sfu.connect();
    mesh.peers = [];
    mesh.fire('gone', { peer: a, reason: 'closed' });
    expect(route.peers).to.deep.equal([a]);
    expect(told.some(([type]) => type === 'gone')).to.equal(false);
    const viaSfu = sfuPeer('room-1_a');
    sfu.play(viaSfu);
    expect(route.peers).to.deep.equal([viaSfu]);
    clock.tick(HANDOVER_GRACE_MS);
    expect(route.mode).to.equal('sfu');
    expect(told.some(([type]) => type === 'gone')).to.equal(false);
  });

  it('lets the mesh go after the timeout; a peer never seen through Janus is gone then', () => {
    const a = meshPeer('room-1_a');
    const b = meshPeer('room-1_b');
    const { clock, mesh, sfu, route, told } = handover([a, b]);
    sfu.connect();
    sfu.play(sfuPeer('room-1_a'));
    mesh.peers = [a];
    mesh.fire('gone', { peer: b, reason: 'failed' });
    clock.tick(HANDOVER_TIMEOUT_MS - 1);
    expect(route.mode).to.equal('mesh');
    clock.tick(1);
    expect(route.mode).to.equal('sfu');
    expect(told.filter(([type]) => type === 'gone')).to.deep.equal([
      ['gone', { peer: b, reason: 'closed' }],
    ]);
    expect(route.peers.map((peer) => peer.id)).to.deep.equal(['room-1_a']);
  });

  it('does not count time before we publish on Janus, and keeps the mesh while Janus is away', () => {
    const { clock, mesh, route } = handover([meshPeer('room-1_a')]);
    route.take({ event: 'sfu', ticket: TICKET });
    clock.tick(HANDOVER_TIMEOUT_MS * 3);
    expect(mesh.closedWithGoodbye).to.equal(null);
    expect(route.mode).to.equal('mesh');
  });

  it('tells of a peer that said goodbye on the mesh at once', () => {
    const a = meshPeer('room-1_a');
    const { mesh, told } = handover([a]);
    mesh.peers = [];
    mesh.fire('gone', { peer: a, reason: 'left' });
    expect(told.filter(([type]) => type === 'gone')).to.deep.equal([
      ['gone', { peer: a, reason: 'left' }],
    ]);
  });

  it('sends chat over a peer link while it is heard, else through Janus', () => {
    const { mesh, sfu, route } = handover([
      meshPeer('room-1_a'),
      meshPeer('room-1_b', { isReachable: false }),
    ]);
    route.send('room-1_a', 'one');
    route.send('room-1_b', 'two');
    route.send('room-1_c', 'three');
    expect(mesh.sent).to.deep.equal([['room-1_a', 'one']]);
    expect(sfu.sent).to.deep.equal([
      ['room-1_b', 'two'],
      ['room-1_c', 'three'],
    ]);
  });

  it('passes on chat from both routes and errors from Janus, but not the mesh’s failed paths', () => {
    const { mesh, sfu, told } = handover([meshPeer('room-1_a')]);
    const frame = { kind: 'invalid', reason: 'too-large' } as const;
    mesh.fire('message', { peerId: 'room-1_a', frame });
    sfu.fire('message', { peerId: 'room-1_c', frame });
    mesh.fire('unreachable', { peerId: 'room-1_a', attempts: 3 });
    mesh.fire('error', { code: 'ice-failed' } as never);
    sfu.fire('error', { code: 'sfu-lost' } as never);
    expect(told.map(([type]) => type)).to.deep.equal(['message', 'message', 'error']);
  });

  it('closes both routes when the visit ends, with a goodbye when leaving', () => {
    const { mesh, sfu, route } = handover([meshPeer('room-1_a')]);
    route.close(true);
    expect(mesh.closedWithGoodbye).to.equal(true);
    expect(sfu.closedWithGoodbye).to.equal(true);
  });
});
