// The room controller through the element it serves: one state at a time, each announced once.
import { elementUpdated, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { RoomError } from '../../../src/errors.js';
import type { RoomState } from '../../../src/events.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import '../../../src/rtc-room.js';
import type { RtcRoom } from '../../../src/rtc-room.js';
import { FAKE_SERVER, joinWithFakes, type JoinedRoom } from '../support/joined-room.js';

const UUID = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';
const OTHER_UUID = '0b5d8a9e-1c2d-4e3f-8a9b-0c1d2e3f4a5b';

function recordStates(el: RtcRoom): RoomState[] {
  const states: RoomState[] = [];
  el.addEventListener('rtc-state', (event) => states.push(event.detail.state));
  return states;
}

function recordErrors(el: RtcRoom): string[] {
  const codes: string[] = [];
  el.addEventListener('rtc-error', (event) => codes.push(event.detail.code));
  return codes;
}

describe('RoomController', () => {
  let room: JoinedRoom | null = null;
  afterEach(() => {
    room?.close();
    room = null;
  });

  it('announces each state once, from the lobby through a call to the next room', async () => {
    const el = await fixture<RtcRoom>(
      html`<rtc-room server=${FAKE_SERVER} muted video-off no-chat></rtc-room>`,
    );
    const states = recordStates(el);
    el.roomId = UUID;
    await elementUpdated(el);
    room = await joinWithFakes(el);
    el.leave();
    expect(el.state).to.equal('left');
    el.roomId = OTHER_UUID;
    await elementUpdated(el);
    expect(states).to.deep.equal(['prejoin', 'joining', 'joined', 'left', 'prejoin']);
    expect(el.state).to.equal('prejoin');
  });

  it('says nothing new when a join fails again in the error state', async () => {
    const el = await fixture<RtcRoom>(html`<rtc-room room-id=${UUID} server="ftp://x"></rtc-room>`);
    const states = recordStates(el);
    const errors = recordErrors(el);
    await el.join();
    await el.join();
    expect(errors).to.deep.equal(['bad-server', 'bad-server']);
    expect(states).to.deep.equal(['error']);
  });

  it('starts in prejoin with a room ID, announcing nothing', async () => {
    const states: RoomState[] = [];
    const record = (event: Event) => states.push((event as CustomEvent).detail.state);
    document.addEventListener('rtc-state', record);
    try {
      const el = await fixture<RtcRoom>(html`<rtc-room room-id=${UUID}></rtc-room>`);
      expect(el.state).to.equal('prejoin');
      expect(states).to.deep.equal([]);
    } finally {
      document.removeEventListener('rtc-state', record);
    }
  });

  it('tells of a signalling outage once and of its end once, and shows it meanwhile', async () => {
    const el = await fixture<RtcRoom>(
      html`<rtc-room room-id=${UUID} server=${FAKE_SERVER} muted video-off></rtc-room>`,
    );
    room = await joinWithFakes(el);
    const errors = recordErrors(el);
    const reconnecting = () =>
      [...el.shadowRoot!.querySelectorAll('[part="notice"]')].some(
        (notice) => notice.textContent?.trim() === LANGUAGES.en.reconnecting,
      );
    room.transport.fire('disconnected', new RoomError('signalling-lost', 'socket closed'));
    room.transport.fire('disconnected', new RoomError('signalling-lost', 'retry failed'));
    await elementUpdated(el);
    expect(reconnecting()).to.equal(true);
    const restored = oneEvent(el, 'rtc-error');
    room.transport.fire('reconnected', undefined);
    room.transport.fire('reconnected', undefined);
    expect((await restored).detail.code).to.equal('signalling-restored');
    await elementUpdated(el);
    expect(reconnecting()).to.equal(false);
    expect(errors).to.deep.equal(['signalling-lost', 'signalling-restored']);
    expect(el.state).to.equal('joined');
  });
});
