import { aTimeout, elementUpdated, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import '../../../src/rtc-room.js';
import type { RtcRoom } from '../../../src/rtc-room.js';
import { fakeTransportFactory } from '../support/fake-transport.js';
import { FAKE_SERVER, joinWithFakes, stubServer, type JoinedRoom } from '../support/joined-room.js';

const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';
const en = LANGUAGES.en;
const A11Y = { ignoredRules: ['color-contrast'] };

function $<T extends Element>(el: RtcRoom, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}

async function prejoin(attributes = ''): Promise<RtcRoom> {
  const el = await fixture<RtcRoom>(
    html`<rtc-room
      room-id=${ROOM}
      server=${FAKE_SERVER}
      ?muted=${attributes.includes('muted')}
    ></rtc-room>`,
  );
  await waitUntil(() => $(el, '[part~="preview"]'), 'the preview', { timeout: 5000 });
  return el;
}

/** Makes getUserMedia refuse, as a visitor who says no does. */
function refuseDevices(): () => void {
  const original = navigator.mediaDevices.getUserMedia;
  navigator.mediaDevices.getUserMedia = () =>
    Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  return () => {
    navigator.mediaDevices.getUserMedia = original;
  };
}

describe('<rtc-room> before joining', () => {
  const rooms: JoinedRoom[] = [];
  afterEach(() => {
    for (const room of rooms.splice(0)) room.close();
    localStorage.removeItem('rtc-room:name');
  });

  it('shows the camera it will send, with a moving microphone meter', async () => {
    const el = await prejoin();
    await waitUntil(() => $<HTMLVideoElement>(el, '[part~="preview"] video')?.videoWidth, 'video', {
      timeout: 5000,
    });
    const meter = $(el, '[part~="level"]')!;
    await waitUntil(() => Number(meter.getAttribute('aria-valuenow')) > 0, 'the meter moves', {
      timeout: 5000,
    });
    el.remove();
  });

  it('asks for the config and ICE servers while the visitor looks at it, not again on join', async () => {
    const restore = stubServer();
    const fakeServer = window.fetch;
    const asked: string[] = [];
    window.fetch = (input, init) => {
      asked.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
      return fakeServer(input, init);
    };
    try {
      const el = await prejoin();
      await waitUntil(() => asked.length === 2, 'the prefetch', { timeout: 5000 });
      expect([...asked].sort()).to.deep.equal(['/api/config', '/api/ice']);
      el.loadTransport = () => Promise.resolve(fakeTransportFactory());
      await el.join();
      await waitUntil(() => el.state === 'joined', 'joined');
      // Only the room's list, taken while registering (and once more, as the list came without
      // this visitor: others may have registered meanwhile).
      expect(new Set(asked.slice(2))).to.deep.equal(new Set([`/api/rooms/${ROOM}/peers`]));
      el.leave();
      el.remove();
    } finally {
      window.fetch = fakeServer;
      restore();
    }
  });

  it('lists the cameras and microphones to pick from', async () => {
    const el = await prejoin();
    await waitUntil(() => $(el, 'select[name="camera"]'), 'a camera picker', { timeout: 5000 });
    const cameras = [...$<HTMLSelectElement>(el, 'select[name="camera"]')!.options];
    expect(cameras.length).to.be.at.least(1);
    expect(cameras.every((option) => option.textContent!.trim().length > 0)).to.equal(true);
    expect($(el, 'select[name="microphone"]')).to.be.instanceOf(HTMLSelectElement);
    await expect(el).to.be.accessible(A11Y);
    el.remove();
  });

  it('turns the camera off before joining, lights out, and joins without video', async () => {
    const el = await prejoin();
    await waitUntil(() => $(el, '[part~="preview"] video'), 'video', { timeout: 5000 });
    const track = (
      $<HTMLVideoElement>(el, '[part~="preview"] video')!.srcObject as MediaStream
    ).getVideoTracks()[0];
    $<HTMLButtonElement>(el, '[part~="prejoin"] [data-action="camera"]')!.click();
    await waitUntil(() => !$(el, '[part~="preview"] video'), 'the preview goes dark');
    expect(track.readyState, 'the camera is released').to.equal('ended');
    expect(el.videoOff).to.equal(true);
    expect(el.hasAttribute('video-off')).to.equal(true);
    const room = await joinWithFakes(el);
    rooms.push(room);
    expect(el.participants[0].hasVideo).to.equal(false);
  });

  it('keeps the preview’s microphone for the call instead of opening it again', async () => {
    const el = await prejoin();
    await waitUntil(() => $(el, '[part~="level"]:not([hidden])'), 'a microphone', {
      timeout: 5000,
    });
    const opened: MediaStreamConstraints[] = [];
    const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints) => {
      opened.push(constraints!);
      return original(constraints);
    };
    try {
      rooms.push(await joinWithFakes(el));
      expect(el.participants[0].hasAudio).to.equal(true);
      expect(opened).to.deep.equal([]);
    } finally {
      navigator.mediaDevices.getUserMedia = original;
    }
  });

  it('explains a refused camera in the preview and retries when asked', async () => {
    const restore = refuseDevices();
    let el: RtcRoom;
    try {
      el = await prejoin();
      await waitUntil(() => $(el, '.preview-error'), 'the explanation', { timeout: 5000 });
      expect($(el, '.preview-error')!.textContent).to.contain(en.errors['permission-denied']);
    } finally {
      restore();
    }
    $<HTMLButtonElement>(el, '.preview-error button')!.click();
    await waitUntil(() => $(el, '[part~="preview"] video'), 'the camera after retrying', {
      timeout: 5000,
    });
    expect($(el, '.preview-error')).to.equal(null);
    el.remove();
  });

  it('remembers the name of a visitor whose join failed too', async () => {
    const el = await prejoin();
    el.name = 'Ada';
    el.server = 'not a server';
    await el.join();
    expect(el.state).to.equal('error');
    expect(localStorage.getItem('rtc-room:name')).to.equal('Ada');
    el.remove();
  });

  it('remembers the name for the next visit, unless the page sets one', async () => {
    const first = await prejoin();
    first.name = 'Ada';
    rooms.push(await joinWithFakes(first));
    expect(localStorage.getItem('rtc-room:name')).to.equal('Ada');
    const next = await fixture<RtcRoom>(html`<rtc-room room-id=${ROOM}></rtc-room>`);
    expect(next.name).to.equal('Ada');
    const named = await fixture<RtcRoom>(html`<rtc-room room-id=${ROOM} name="Grace"></rtc-room>`);
    expect(named.name).to.equal('Grace');
    next.remove();
    named.remove();
  });

  it('releases the preview’s devices when the room ID goes away', async () => {
    const el = await prejoin();
    await waitUntil(() => $(el, '[part~="preview"] video'), 'video', { timeout: 5000 });
    const stream = $<HTMLVideoElement>(el, '[part~="preview"] video')!.srcObject as MediaStream;
    el.roomId = '';
    await elementUpdated(el);
    await aTimeout(0);
    expect(stream.getTracks().every((track) => track.readyState === 'ended')).to.equal(true);
  });
});

describe('<rtc-room> devices during the call', () => {
  it('switches the camera on every connection without leaving', async () => {
    const el = await fixture<RtcRoom>(
      html`<rtc-room room-id=${ROOM} server=${FAKE_SERVER} muted></rtc-room>`,
    );
    const room = await joinWithFakes(el);
    try {
      const link = room.addPeer('Grace');
      await waitUntil(() => el.participants.length === 2, 'Grace');
      await waitUntil(() => $(el, 'select[name="camera"]'), 'a camera picker', { timeout: 5000 });
      const picker = $<HTMLSelectElement>(el, 'select[name="camera"]')!;
      const choice = [...picker.options].at(-1)!.value;
      picker.value = choice;
      picker.dispatchEvent(new Event('change'));
      await waitUntil(
        () =>
          link.replacedTracks.some(
            (r) => r.kind === 'video' && r.track?.getSettings().deviceId === choice,
          ),
        'the new camera is sent',
        { timeout: 5000 },
      );
      await waitUntil(
        () => $<HTMLSelectElement>(el, 'select[name="camera"]')?.value === choice,
        'the picker shows the camera in use',
      );
      expect(el.state).to.equal('joined');
    } finally {
      room.close();
    }
  });
});

describe('<rtc-room> while the devices open', () => {
  /** Holds getUserMedia until `release`, counting the requests and what they opened. */
  function holdDevices() {
    const real = navigator.mediaDevices.getUserMedia;
    const held: Array<() => void> = [];
    let holds = true;
    const devices = {
      asked: 0,
      opened: [] as MediaStream[],
      release: () => {
        holds = false;
        for (const resolve of held.splice(0)) resolve();
      },
      restore: () => {
        devices.release();
        navigator.mediaDevices.getUserMedia = real;
      },
    };
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      devices.asked++;
      if (holds) await new Promise<void>((resolve) => held.push(resolve));
      const stream = await real.call(navigator.mediaDevices, constraints);
      devices.opened.push(stream);
      return stream;
    };
    return devices;
  }

  it('asks for the devices once when the visitor joins while the preview opens them', async () => {
    const restoreServer = stubServer();
    const devices = holdDevices();
    try {
      const el = await fixture<RtcRoom>(
        html`<rtc-room room-id=${ROOM} server=${FAKE_SERVER}></rtc-room>`,
      );
      await waitUntil(() => devices.asked === 1, 'the preview asks');
      el.loadTransport = () => Promise.resolve(fakeTransportFactory());
      const joining = el.join();
      devices.release();
      await joining;
      await waitUntil(() => el.state === 'joined', 'joined');
      expect(devices.asked).to.equal(1);
      expect(el.participants[0]).to.include({ hasAudio: true, hasVideo: true });
      el.remove();
    } finally {
      devices.restore();
      restoreServer();
    }
  });

  it('releases the devices still opening when the visitor leaves', async () => {
    const restoreServer = stubServer();
    const devices = holdDevices();
    try {
      const container = await fixture<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement('rtc-room');
      el.loadTransport = () => Promise.resolve(fakeTransportFactory());
      Object.assign(el, { roomId: ROOM, server: FAKE_SERVER, noPrejoin: true });
      container.append(el);
      await waitUntil(() => devices.asked === 1, 'the join asks');
      el.leave();
      expect(el.state).to.equal('left');
      devices.release();
      await waitUntil(() => devices.opened.length === 1, 'the devices answered');
      await aTimeout(0);
      expect(devices.opened[0].getTracks().map((track) => track.readyState)).to.deep.equal([
        'ended',
        'ended',
      ]);
      el.remove();
    } finally {
      devices.restore();
      restoreServer();
    }
  });
});
