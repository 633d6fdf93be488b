import { expect } from '@open-wc/testing';
import { LocalMedia, type MediaDevicesLike } from '../../../src/media/local-media.js';

/** The browser's devices, counting each time they are asked for. */
function countingDevices(refuse = false): MediaDevicesLike & { asked: number } {
  const devices = {
    asked: 0,
    getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
      devices.asked++;
      return refuse
        ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
        : navigator.mediaDevices.getUserMedia(constraints);
    },
  };
  return devices;
}

/** Counts the stand-ins made while `run` runs: AudioContexts and canvas captures. */
async function countStandIns(run: () => Promise<void>): Promise<number> {
  const NativeAudioContext = window.AudioContext;
  const nativeCapture = HTMLCanvasElement.prototype.captureStream;
  let made = 0;
  window.AudioContext = class extends NativeAudioContext {
    constructor(options?: AudioContextOptions) {
      super(options);
      made++;
    }
  };
  HTMLCanvasElement.prototype.captureStream = function (this: HTMLCanvasElement, rate?: number) {
    made++;
    return nativeCapture.call(this, rate);
  };
  try {
    await run();
  } finally {
    window.AudioContext = NativeAudioContext;
    HTMLCanvasElement.prototype.captureStream = nativeCapture;
  }
  return made;
}

const trackOf = (media: LocalMedia, kind: 'audio' | 'video'): MediaStreamTrack => {
  const tracks = media.outgoing.getTracks().filter((track) => track.kind === kind);
  expect(tracks).to.have.length(1);
  return tracks[0];
};

describe('LocalMedia', () => {
  let media: LocalMedia;
  afterEach(() => media.stop());

  it('sends a live stand-in for each device that is off', async () => {
    media = new LocalMedia();
    await media.start({ audio: false, video: false });
    expect(trackOf(media, 'audio').readyState).to.equal('live');
    expect(trackOf(media, 'video').readyState).to.equal('live');
    expect(media.isMicrophoneEnabled).to.equal(false);
    expect(media.isCameraEnabled).to.equal(false);
  });

  it('makes no stand-in when the camera and microphone open', async () => {
    const made = await countStandIns(async () => {
      media = new LocalMedia();
      await media.start({ audio: true, video: true });
      expect(trackOf(media, 'audio')).to.equal(media.microphoneTrack);
      expect(trackOf(media, 'video')).to.equal(media.preview?.getVideoTracks()[0]);
    });
    expect(made).to.equal(0);
  });

  it('stops the stand-in the camera replaces, and makes another when it goes off', async () => {
    media = new LocalMedia();
    await media.start({ audio: true, video: false });
    const standIn = trackOf(media, 'video');
    expect(standIn.readyState).to.equal('live');

    await media.setCameraEnabled(true);
    expect(standIn.readyState).to.equal('ended');
    const camera = trackOf(media, 'video');
    expect(camera).to.equal(media.preview?.getVideoTracks()[0]);

    await media.setCameraEnabled(false);
    expect(camera.readyState).to.equal('ended');
    const next = trackOf(media, 'video');
    expect(next).not.to.equal(standIn);
    expect(next.readyState).to.equal('live');
  });

  it('answers a start made while the same one is opening, without asking again', async () => {
    const devices = countingDevices();
    media = new LocalMedia(devices);
    const want = { audio: true, video: true };
    const [first, second] = await Promise.all([media.start(want), media.start(want)]);
    expect(devices.asked).to.equal(1);
    expect([first, second]).to.deep.equal([[], []]);
    expect(media.isCameraEnabled).to.equal(true);
    expect(media.isMicrophoneEnabled).to.equal(true);
  });

  it('gives both starts the one refusal, asking the visitor once per device', async () => {
    const devices = countingDevices(true);
    media = new LocalMedia(devices);
    const want = { audio: true, video: true };
    const [first, second] = await Promise.all([media.start(want), media.start(want)]);
    // Both devices at once, then each alone: three questions, not six.
    expect(devices.asked).to.equal(3);
    expect(second).to.equal(first);
    expect(first.map((error) => error.code)).to.deep.equal([
      'permission-denied',
      'permission-denied',
    ]);
  });

  it('runs another start after the one opening, keeping what it opened', async () => {
    const devices = countingDevices();
    media = new LocalMedia(devices);
    const opening = media.start({ audio: true, video: true });
    const withoutCamera = media.start({ audio: true, video: false });
    await opening;
    expect(media.isCameraEnabled).to.equal(true);
    expect(await withoutCamera).to.deep.equal([]);
    expect(media.isCameraEnabled).to.equal(false);
    expect(media.isMicrophoneEnabled).to.equal(true);
    expect(devices.asked).to.equal(1);
  });

  it('keeps one stream, so every call sends what the devices send now', async () => {
    media = new LocalMedia();
    const outgoing = media.outgoing;
    await media.start({ audio: true, video: true });
    await media.setCameraEnabled(false);
    expect(media.outgoing).to.equal(outgoing);
    expect(outgoing.getTracks()).to.have.length(2);
  });
});
