import { expect } from '@open-wc/testing';
import { DeviceController, type DeviceHost } from '../../../src/controllers/device-controller.js';
import type { CallModule } from '../../../src/controllers/room-controller.js';
import type { Background, NoiseSuppression } from '../../../src/config.js';
import { RoomError } from '../../../src/errors.js';
import type { RoomState } from '../../../src/events.js';
import type { DeviceList, LocalMedia, MediaKind } from '../../../src/media/local-media.js';
import { FakeHost, settle } from './fake-host.js';

/** Stands in for LocalMedia: records what it was asked, opens nothing. */
class FakeMedia {
  started: Array<{ audio: boolean; video: boolean }> = [];
  used: Array<[MediaKind, string]> = [];
  isStopped = false;
  failsToSwitch = false;
  noiseSuppression: NoiseSuppression = 'browser';
  background: Background = 'none';
  isBackgroundReduced = false;
  readonly preview = new MediaStream();
  readonly microphoneTrack = null;
  readonly deviceIds = { camera: `camera of ${this.label}`, microphone: null };

  constructor(readonly label = 'preview') {}

  on(): () => void {
    return () => undefined;
  }

  start(want: { audio: boolean; video: boolean }): Promise<RoomError[]> {
    this.started.push(want);
    return Promise.resolve([]);
  }

  listDevices(): Promise<DeviceList> {
    const camera = { deviceId: this.label, label: this.label };
    return Promise.resolve({ cameras: [camera], microphones: [], speakers: [] });
  }

  useDevice(kind: MediaKind, deviceId: string): Promise<void> {
    if (this.failsToSwitch) return Promise.reject(new RoomError('no-device', 'unplugged'));
    this.used.push([kind, deviceId]);
    return Promise.resolve();
  }

  setNoiseSuppression(mode: NoiseSuppression): Promise<void> {
    if (this.failsToSwitch) return Promise.reject(new RoomError('no-device', 'unplugged'));
    this.noiseSuppression = mode;
    return Promise.resolve();
  }

  setBackground(mode: Background): Promise<void> {
    this.background = mode;
    return Promise.resolve();
  }

  stop(): void {
    this.isStopped = true;
  }
}

function setUp(state: RoomState = 'prejoin') {
  const host = Object.assign(new FakeHost(), {
    muted: true,
    videoOff: false,
    noPrejoin: false,
    noiseSuppression: 'browser' as NoiseSuppression,
    background: 'none' as Background,
    backgroundAssets: '',
  });
  const made: FakeMedia[] = [];
  const reported: RoomError[] = [];
  const world = {
    host: host as FakeHost & DeviceHost,
    made,
    reported,
    state,
    sessionMedia: null as FakeMedia | null,
  };
  const call = {
    LocalMedia: class extends FakeMedia {
      constructor() {
        super();
        made.push(this);
      }
    },
  } as unknown as CallModule;
  const devices = new DeviceController(world.host, {
    loadCall: () => Promise.resolve(call),
    state: () => world.state,
    sessionMedia: () => world.sessionMedia as unknown as LocalMedia | null,
    report: (error) => reported.push(error),
  });
  return { ...world, devices, world };
}

describe('DeviceController', () => {
  it('opens the preview as muted and video-off say, and lists the devices', async () => {
    const { devices, made } = setUp();
    await devices.startPreview();
    expect(made).to.have.length(1);
    expect(made[0].started).to.deep.equal([{ audio: false, video: true }]);
    expect(devices.localPreview).to.equal(made[0].preview);
    expect(devices.devices.cameras.map((camera) => camera.label)).to.deep.equal(['preview']);
  });

  it('holds the preview until a session takes it, then reads the session’s media only', async () => {
    const { devices, made, world } = setUp();
    await devices.startPreview();
    const preview = made[0];
    const taken = devices.takePreview(() => {
      throw new Error('a preview is there to take');
    });
    expect(taken).to.equal(preview);
    expect(devices.deviceIds, 'taken, and no session yet').to.deep.equal({
      camera: null,
      microphone: null,
    });
    world.sessionMedia = preview;
    expect(devices.deviceIds.camera).to.equal('camera of preview');
    devices.stopPreview();
    expect(preview.isStopped, 'the session’s media is the session’s to stop').to.equal(false);
  });

  it('gives the preview the host’s noise suppression before it opens, then follows the host', async () => {
    const { devices, made, world, host, reported } = setUp();
    host.noiseSuppression = 'strong';
    await devices.startPreview();
    expect(made[0].noiseSuppression).to.equal('strong');
    devices.setNoiseSuppression('off');
    expect(host.noiseSuppression).to.equal('off');
    devices.hostUpdate();
    expect(made[0].noiseSuppression).to.equal('off');
    expect(devices.noiseSuppression).to.equal('off');
    // During the call, the session's media follows, and a microphone that fails is reported.
    world.sessionMedia = made[0];
    made[0].failsToSwitch = true;
    devices.setNoiseSuppression('browser');
    devices.hostUpdate();
    await settle();
    expect(reported.map((error) => error.code)).to.deep.equal(['no-device']);
  });

  it('makes a media for a join without a preview', () => {
    const { devices } = setUp();
    const fresh = new FakeMedia('fresh') as unknown as LocalMedia;
    expect(devices.takePreview(() => fresh)).to.equal(fresh);
  });

  it('chooses devices on the session’s media during the call, and reports a failure', async () => {
    const { devices, world, reported } = setUp('joined');
    const media = new FakeMedia('call');
    world.sessionMedia = media;
    await devices.chooseDevice('video', 'camera-2');
    expect(media.used).to.deep.equal([['video', 'camera-2']]);
    media.failsToSwitch = true;
    await devices.chooseDevice('audio', 'microphone-2');
    expect(reported.map((error) => error.code)).to.deep.equal(['no-device']);
  });

  it('opens the preview in prejoin, keeps it while joining, releases it in the lobby', async () => {
    const { devices, made, world, host } = setUp();
    host.updated();
    await settle();
    expect(made).to.have.length(1);
    world.state = 'joining';
    host.updated();
    expect(made[0].isStopped, 'the join goes on with it').to.equal(false);
    world.state = 'prejoin';
    host.updated();
    await settle();
    world.state = 'idle';
    host.updated();
    expect(made.at(-1)!.isStopped).to.equal(true);
    expect(devices.localPreview).to.equal(null);
  });

  it('opens no preview with no-prejoin', async () => {
    const { made, host } = setUp();
    host.noPrejoin = true;
    host.updated();
    await settle();
    expect(made).to.deep.equal([]);
  });

  it('drops a preview asked for, then stopped, before the call chunk arrived', async () => {
    const { devices, made } = setUp();
    const starting = devices.startPreview();
    devices.stopPreview();
    await starting;
    expect(made).to.deep.equal([]);
  });

  it('turns a preview device off and follows on muted and video-off; retries with both on', async () => {
    const { devices, host, made } = setUp();
    await devices.startPreview();
    const media = Object.assign(made[0], {
      setCameraEnabled: () => Promise.resolve(),
      setMicrophoneEnabled: () => Promise.reject(new RoomError('permission-denied', 'no')),
    });
    await devices.setPreviewDevice('video', false);
    expect(host.videoOff).to.equal(true);
    await devices.setPreviewDevice('audio', true);
    expect(host.muted).to.equal(false);
    expect(devices.previewError?.code).to.equal('permission-denied');
    await devices.retryPreview();
    expect([host.muted, host.videoOff]).to.deep.equal([false, false]);
    expect(media.started.at(-1)).to.deep.equal({ audio: true, video: true });
  });
});
