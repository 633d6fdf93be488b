import { expect, waitUntil } from '@open-wc/testing';
import type { NoiseSuppression } from '../../../src/config.js';
import {
  LocalMedia,
  microphoneConstraintsFor,
  type MediaDevicesLike,
} from '../../../src/media/local-media.js';

/** The browser's devices, keeping the audio constraints of each request. */
function recordingDevices(): MediaDevicesLike & { audio: MediaTrackConstraints[] } {
  const devices = {
    audio: [] as MediaTrackConstraints[],
    getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
      if (typeof constraints?.audio === 'object') devices.audio.push(constraints.audio);
      return navigator.mediaDevices.getUserMedia(constraints);
    },
    enumerateDevices: () => navigator.mediaDevices.enumerateDevices(),
  };
  return devices;
}

/** The AudioContexts made while the test runs, to see that each is closed. */
function watchAudioContexts(): { made: AudioContext[]; restore: () => void } {
  const Native = window.AudioContext;
  const made: AudioContext[] = [];
  window.AudioContext = class extends Native {
    constructor(options?: AudioContextOptions) {
      super(options);
      made.push(this);
    }
  };
  return { made, restore: () => (window.AudioContext = Native) };
}

const sentAudio = (media: LocalMedia): MediaStreamTrack => media.outgoing.getAudioTracks()[0];

/** Waits for what is sent to be the microphone through RNNoise (not the microphone itself). */
const whenDenoised = (media: LocalMedia) =>
  waitUntil(
    () => sentAudio(media) !== media.microphoneTrack && sentAudio(media).readyState === 'live',
    'the denoised microphone is sent',
  );

describe('LocalMedia noise suppression', () => {
  let media: LocalMedia;
  let contexts: ReturnType<typeof watchAudioContexts>;
  beforeEach(() => {
    contexts = watchAudioContexts();
  });
  afterEach(() => {
    media.stop();
    contexts.restore();
  });

  const cases: Array<[NoiseSuppression, MediaTrackConstraints]> = [
    ['browser', { echoCancellation: true, noiseSuppression: true, autoGainControl: true }],
    ['strong', { echoCancellation: true, noiseSuppression: false, autoGainControl: true }],
    ['off', { echoCancellation: false, noiseSuppression: false, autoGainControl: false }],
  ];
  for (const [mode, expected] of cases) {
    it(`opens the microphone with ${JSON.stringify(expected)} for ${mode}`, async () => {
      expect(microphoneConstraintsFor(mode)).to.deep.equal(expected);
      const devices = recordingDevices();
      media = new LocalMedia(devices);
      await media.setNoiseSuppression(mode);
      await media.start({ audio: true, video: false });
      expect(devices.audio.at(-1)).to.deep.include(expected);
      expect(media.noiseSuppression).to.equal(mode);
    });
  }

  it('sends the microphone through RNNoise in strong, and follows mute and unmute', async () => {
    media = new LocalMedia();
    await media.setNoiseSuppression('strong');
    await media.start({ audio: true, video: false });
    await whenDenoised(media);
    const sent = sentAudio(media);
    await media.setMicrophoneEnabled(false);
    expect(media.microphoneTrack?.enabled).to.equal(false);
    expect(media.isMicrophoneEnabled).to.equal(false);
    await media.setMicrophoneEnabled(true);
    expect(media.isMicrophoneEnabled).to.equal(true);
    expect(sentAudio(media)).to.equal(sent);
  });

  it('keeps sending the same denoised track when the microphone changes', async () => {
    const devices = recordingDevices();
    media = new LocalMedia(devices);
    await media.setNoiseSuppression('strong');
    await media.start({ audio: true, video: false });
    await whenDenoised(media);
    const sent = sentAudio(media);
    const before = media.microphoneTrack;
    const [microphone] = (await media.listDevices()).microphones;
    await media.useDevice('audio', microphone.deviceId);
    expect(media.microphoneTrack).to.not.equal(before);
    expect(devices.audio.at(-1)).to.deep.include({
      noiseSuppression: false,
      deviceId: { exact: microphone.deviceId },
    });
    await waitUntil(() => sentAudio(media) === sent, 'the same denoised track is sent again');
    expect(contexts.made).to.have.length(1);
  });

  it('closes its AudioContext when switched to browser, and when stopped', async () => {
    media = new LocalMedia();
    await media.setNoiseSuppression('strong');
    await media.start({ audio: true, video: false });
    await whenDenoised(media);
    const denoised = sentAudio(media);
    await media.setNoiseSuppression('browser');
    expect(sentAudio(media)).to.equal(media.microphoneTrack);
    expect(denoised.readyState).to.equal('ended');
    await waitUntil(() => contexts.made[0].state === 'closed', 'the context closes');

    await media.setNoiseSuppression('strong');
    await whenDenoised(media);
    media.stop();
    await waitUntil(
      () => contexts.made.every((context) => context.state === 'closed'),
      'every context is closed after stop()',
    );
  });

  it('opens RNNoise again for a media made after one was stopped (leave, then rejoin)', async () => {
    media = new LocalMedia();
    await media.setNoiseSuppression('strong');
    await media.start({ audio: true, video: false });
    await whenDenoised(media);
    media.stop();
    media = new LocalMedia();
    await media.setNoiseSuppression('strong');
    await media.start({ audio: true, video: false });
    await whenDenoised(media);
    expect(contexts.made.filter((context) => context.state !== 'closed')).to.have.length(1);
  });

  it('means browser where the browser has no AudioWorklet', async () => {
    const native = window.AudioWorkletNode;
    // @ts-expect-error: a browser without AudioWorklet
    delete window.AudioWorkletNode;
    try {
      media = new LocalMedia();
    } finally {
      window.AudioWorkletNode = native;
    }
    await media.setNoiseSuppression('strong');
    expect(media.noiseSuppression).to.equal('browser');
    await media.start({ audio: true, video: false });
    expect(sentAudio(media)).to.equal(media.microphoneTrack);
  });
});
