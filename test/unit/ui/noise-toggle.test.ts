import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import '../../../src/rtc-room.js';
import type { RtcRoom } from '../../../src/rtc-room.js';
import { FAKE_SERVER, joinWithFakes, type JoinedRoom } from '../support/joined-room.js';

const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f71';
const A11Y = { ignoredRules: ['color-contrast'] };

let rooms: JoinedRoom[] = [];
afterEach(() => {
  for (const room of rooms) room.close();
  rooms = [];
});

async function joinedRoom(attributes: { noise?: string; lang?: string } = {}) {
  const el = await fixture<RtcRoom>(
    html`<rtc-room
      room-id=${ROOM}
      server=${FAKE_SERVER}
      name="Ada"
      lang=${attributes.lang ?? 'en'}
      noise-suppression=${attributes.noise ?? 'browser'}
    ></rtc-room>`,
  );
  const room = await joinWithFakes(el);
  rooms.push(room);
  return { el, room };
}

const toggleOf = (el: RtcRoom): HTMLInputElement =>
  el.shadowRoot!.querySelector<HTMLInputElement>('[part~="device-menu"] [part~="noise-toggle"]')!;

/** Whether `track` comes from a microphone the browser lists (not from RNNoise's node). */
async function isMicrophone(track: MediaStreamTrack | null | undefined): Promise<boolean> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const id = track?.getSettings().deviceId;
  return devices.some((device) => device.kind === 'audioinput' && device.deviceId === id);
}

/** The audio track the links were last given. */
const lastSentAudio = (room: JoinedRoom): MediaStreamTrack | null | undefined =>
  room.transport.incoming
    .flatMap((link) => link.replacedTracks)
    .filter((replaced) => replaced.kind === 'audio')
    .at(-1)?.track;

describe('<rtc-room> noise-suppression', () => {
  it('reads the attribute into the property, reflected, and a bad one as browser', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room noise-suppression="strong"></rtc-room>`);
    expect(el.noiseSuppression).to.equal('strong');
    el.noiseSuppression = 'off';
    await el.updateComplete;
    expect(el.getAttribute('noise-suppression')).to.equal('off');
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (message: unknown) => warnings.push(message);
    try {
      el.setAttribute('noise-suppression', 'loud');
    } finally {
      console.warn = warn;
    }
    expect(el.noiseSuppression).to.equal('browser');
    expect(String(warnings[0])).to.match(/noise-suppression="loud"/);
  });

  it('turns strong on and off from a labelled switch in the device menu, by keyboard', async () => {
    const { el, room } = await joinedRoom();
    room.addPeer('Grace');
    await waitUntil(() => room.transport.incoming.length === 1, 'a link to Grace');
    const toggle = toggleOf(el);
    expect(toggle.type).to.equal('checkbox');
    expect(toggle.disabled).to.equal(false);
    expect(toggle.checked).to.equal(false);
    expect(toggle.closest('label')!.textContent).to.include(LANGUAGES.en.strongNoiseSuppression);

    el.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="devices"]')!.click();
    toggle.focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.noiseSuppression).to.equal('strong');
    expect(el.getAttribute('noise-suppression')).to.equal('strong');
    // What every link sends becomes the microphone through RNNoise: a track of no microphone.
    await waitUntil(async () => {
      const sent = lastSentAudio(room);
      return sent?.readyState === 'live' && !(await isMicrophone(sent));
    }, 'the links are given the denoised track');
    await waitUntil(() => toggleOf(el).checked, 'the switch shows strong');
    await expect(el).to.be.accessible(A11Y);

    await sendKeys({ press: 'Space' });
    await waitUntil(() => el.noiseSuppression === 'browser', 'back to browser');
    await waitUntil(() => !toggleOf(el).checked, 'the switch shows browser');
    await waitUntil(
      () => isMicrophone(lastSentAudio(room)),
      'the links are given the microphone itself again',
    );
  });

  it('names the switch in Chinese', async () => {
    const { el } = await joinedRoom({ lang: 'zh-CN' });
    expect(toggleOf(el).closest('label')!.textContent).to.include(
      LANGUAGES['zh-CN'].strongNoiseSuppression,
    );
  });

  it('shows strong disabled, with the reason, where the browser has no AudioWorklet', async () => {
    const native = window.AudioWorkletNode;
    // @ts-expect-error: a browser without AudioWorklet
    delete window.AudioWorkletNode;
    try {
      const { el } = await joinedRoom({ noise: 'strong' });
      const toggle = toggleOf(el);
      expect(toggle.disabled).to.equal(true);
      expect(toggle.checked).to.equal(false);
      expect(toggle.closest('label')!.textContent).to.include(
        LANGUAGES.en.noiseSuppressionUnsupported,
      );
    } finally {
      window.AudioWorkletNode = native;
    }
  });
});
