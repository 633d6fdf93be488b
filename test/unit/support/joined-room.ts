// Puts an <rtc-room> into a joined room without PeerJS or a server: the API is answered by a
// stubbed fetch and the transport is a fake one whose remote peers the test adds by hand.
import { waitUntil } from '@open-wc/testing';
import { PROTOCOL_VERSION, encodeMessage } from '../../../src/protocol/messages.js';
import { makePeerId } from '../../../src/room/room-id.js';
import type { RtcRoom } from '../../../src/rtc-room.js';
import { fakeTransportFactory, type FakeLink, type FakeTransport } from './fake-transport.js';

/** The server the stubbed fetch answers for. */
export const FAKE_SERVER = 'http://rtc-room.fake';

const ANSWERS: Array<[RegExp, unknown]> = [
  [/\/api\/config$/, { peer: { path: '/peerjs', key: 'rtc' } }],
  [/\/api\/ice$/, { iceServers: [], expiresAt: null }],
  [/\/api\/rooms\/[^/]+\/peers$/, { peers: [] }],
];

/** Answers FAKE_SERVER's API; returns the function that puts the real fetch back. */
export function stubServer(): () => void {
  const realFetch = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(FAKE_SERVER)) return realFetch(input, init);
    const answer = ANSWERS.find(([pattern]) => pattern.test(new URL(url).pathname));
    return Promise.resolve(
      answer ? Response.json(answer[1]) : new Response('{"message":"not found"}', { status: 404 }),
    );
  };
  return () => {
    window.fetch = realFetch;
  };
}

/** A moving picture (a canvas redrawn every frame), as a remote camera would send. */
export function movingStream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 90;
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const draw = (): void => {
    context.fillStyle = `hsl(${frame++ % 360} 70% 50%)`;
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (stream.getVideoTracks()[0]?.readyState === 'live') requestAnimationFrame(draw);
  };
  const stream = canvas.captureStream(30);
  draw();
  return stream;
}

export interface JoinedRoom {
  transport: FakeTransport;
  /** A remote visitor arrives: dials in, sends a moving picture and introduces itself. */
  addPeer(name: string): FakeLink;
  /** Ends the room and puts fetch back. */
  close(): void;
}

/** Joins `el` (which must have `room-id` and `server=FAKE_SERVER`) with a fake transport. */
export async function joinWithFakes(el: RtcRoom): Promise<JoinedRoom> {
  const restore = stubServer();
  const factory = fakeTransportFactory();
  el.loadTransport = () => Promise.resolve(factory);
  await el.join();
  await waitUntil(() => el.state === 'joined', 'the room is joined');
  const transport = factory.made[0];
  const streams: MediaStream[] = [];
  return {
    transport,
    addPeer(name) {
      const link = transport.ring(makePeerId(el.roomId));
      const stream = movingStream();
      streams.push(stream);
      link.fire('stream', stream);
      link.fire('open', undefined);
      const hello = { v: PROTOCOL_VERSION, type: 'hello', name, audio: true, video: true } as const;
      link.fire('message', encodeMessage(hello));
      return link;
    },
    close() {
      el.leave();
      for (const stream of streams) for (const track of stream.getTracks()) track.stop();
      restore();
    },
  };
}
