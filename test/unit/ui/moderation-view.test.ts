import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { RoomError } from '../../../src/errors.js';
import { LANGUAGES } from '../../../src/i18n/languages.js';
import '../../../src/rtc-room.js';
import type { RtcRoom } from '../../../src/rtc-room.js';
import { fakeTransportFactory, type FakeTransport } from '../support/fake-transport.js';
import { FAKE_SERVER, joinWithFakes, stubServer, type JoinedRoom } from '../support/joined-room.js';
import { member } from '../support/members.js';

const ROOM = '3f1c2a9e-7b4d-4c1e-9f0a-2b3c4d5e6f70';
const en = LANGUAGES.en;
const A11Y = { ignoredRules: ['color-contrast'] };

let rooms: JoinedRoom[] = [];
let restores: Array<() => void> = [];

async function fixtureRoom(lang = 'en'): Promise<RtcRoom> {
  return fixture<RtcRoom>(
    html`<rtc-room
      room-id=${ROOM}
      server=${FAKE_SERVER}
      name="Ada"
      lang=${lang}
      muted
      style="width: 960px; height: 600px"
    ></rtc-room>`,
  );
}

/** A joined room whose server has said who is who: this visitor with `role`, and one more peer. */
async function welcomed(role: 'host' | 'guest') {
  const el = await fixtureRoom();
  const room = await joinWithFakes(el);
  rooms.push(room);
  const link = room.addPeer('Grace');
  await waitUntil(() => el.participants.length === 2, 'Grace is in');
  room.transport.notify({
    event: 'welcome',
    self: member(el.participants[0].id, { role, name: 'Ada' }),
    members: [member(link.remoteId, { guest: 2 })],
    locked: false,
    knocking: [],
  });
  await el.updateComplete;
  return { el, room, grace: link.remoteId };
}

const shadow = (el: RtcRoom) => el.shadowRoot!;
const query = <T extends Element = HTMLElement>(el: RtcRoom, selector: string) =>
  shadow(el).querySelector<T>(selector);

describe('<rtc-room> with hosts and the door', () => {
  afterEach(() => {
    for (const room of rooms) room.close();
    for (const restore of restores) restore();
    rooms = [];
    restores = [];
  });

  it('gives a host the lock, the knock panel with Admit and Deny, and each tile’s menu', async () => {
    const { el, room, grace } = await welcomed('host');
    await waitUntil(() => query(el, '[part~="host-panel"]'), 'the host panel (a chunk)');
    query<HTMLButtonElement>(el, '[part~="host-panel"] [data-action="lock"]')!.click();
    expect(room.transport.commands).to.deep.equal([{ command: 'lock' }]);
    room.transport.notify({ event: 'lock', locked: true });
    await el.updateComplete;
    expect(el.locked).to.equal(true);

    const knocked = oneEvent(el, 'rtc-knock');
    room.transport.notify({
      event: 'knock',
      knocker: { id: `${ROOM}_k`, name: 'Kim', verified: false, guest: 3 },
    });
    expect((await knocked).detail.knocker).to.deep.equal({ id: `${ROOM}_k`, name: 'Kim' });
    await el.updateComplete;
    const admit = query<HTMLButtonElement>(el, '[part~="knock-panel"] [data-action="admit"]')!;
    expect(admit.getAttribute('aria-label')).to.equal('Admit Kim');
    expect(el.knocking).to.deep.equal([{ id: `${ROOM}_k`, name: 'Kim' }]);
    admit.click();
    expect(room.transport.commands.at(-1)).to.deep.equal({ command: 'admit', id: `${ROOM}_k` });

    const menu = query<HTMLButtonElement>(
      el,
      `[data-peer-id="${grace}"] [data-action="host-menu"]`,
    )!;
    expect(menu.getAttribute('aria-label')).to.equal('Host actions for Grace');
    query<HTMLButtonElement>(el, `[data-peer-id="${grace}"] [data-action="remove"]`)!.click();
    expect(room.transport.commands.at(-1)).to.deep.equal({ command: 'remove', id: grace });
    await expect(el).to.be.accessible(A11Y);
  });

  it('refuses a guest’s host methods with `not-host`, and shows it no host controls', async () => {
    const { el, room, grace } = await welcomed('guest');
    for (const call of [
      () => el.lockRoom(),
      () => el.unlockRoom(),
      () => el.admit(grace),
      () => el.deny(grace),
      () => el.removeParticipant(grace),
      () => el.muteParticipant(grace),
    ]) {
      const error = await call().catch((thrown: unknown) => thrown);
      expect((error as RoomError).code).to.equal('not-host');
    }
    expect(room.transport.commands).to.deep.equal([]);
    expect(query(el, '[part~="host-panel"]')).to.equal(null);
    expect(query(el, '[data-action="host-menu"]')).to.equal(null);
  });

  it('shows a host’s badge, a raised hand and a reaction on the tiles, and tells the page', async () => {
    const { el, room, grace } = await welcomed('guest');
    query<HTMLButtonElement>(el, '[part~="controls"] [data-action="hand"]')!.click();
    expect(room.transport.commands).to.deep.equal([{ command: 'hand', raised: true }]);
    room.transport.notify({ event: 'member', member: member(grace, { role: 'host', guest: 2 }) });
    room.transport.notify({ event: 'hand', id: grace, raised: true, by: grace });
    const reacted = oneEvent(el, 'rtc-reaction');
    room.transport.notify({ event: 'reaction', id: grace, emoji: '🎉' });
    const { detail } = await reacted;
    expect([detail.participant.id, detail.emoji]).to.deep.equal([grace, '🎉']);
    await el.updateComplete;
    const tile = query(el, `[data-peer-id="${grace}"]`)!;
    expect(tile.querySelector('[part~="host-badge"]')?.textContent).to.equal(en.host);
    expect(tile.querySelector('[part~="hand"]')?.getAttribute('aria-label')).to.equal(
      en.handRaised,
    );
    expect(tile.querySelector('[part~="reaction"]')?.textContent).to.equal('🎉');
    const region = query(el, '[aria-live="polite"][role="status"]')!;
    await waitUntil(() => region.textContent!.trim() === en.announce.hand('Grace'), 'announced');
  });

  it('turns its microphone off when a host mutes it, says who, and lets it be turned on', async () => {
    const el = await fixtureRoom();
    el.muted = false;
    const room = await joinWithFakes(el);
    rooms.push(room);
    const hostId = room.addPeer('Hana').remoteId;
    room.transport.notify({
      event: 'welcome',
      self: member(el.participants[0].id),
      members: [member(hostId, { role: 'host', name: 'Hana', verified: true })],
      locked: false,
      knocking: [],
    });
    await waitUntil(() => el.participants.length === 2, 'the host is in');
    room.transport.notify({ event: 'muted', by: hostId });
    await waitUntil(() => !el.participants[0].hasAudio, 'the microphone off');
    // The notice's words come with English's error texts, which load for it.
    await waitUntil(
      () => en.mutedBy && shadow(el).textContent!.includes(en.mutedBy('Hana')),
      'who turned it off',
    );
    await el.setMicrophoneEnabled(true);
    expect(el.participants[0].hasAudio).to.equal(true);
  });

  it('waits at a locked room’s door, then says a host turned it away', async () => {
    restores.push(stubServer());
    const factory = fakeTransportFactory();
    let refuse!: (error: RoomError) => void;
    const el = await fixtureRoom();
    el.loadTransport = () =>
      Promise.resolve((options) => {
        const transport = factory(options) as FakeTransport;
        transport.open = () => new Promise((_resolve, reject) => (refuse = reject));
        return transport;
      });
    void el.join();
    await waitUntil(() => factory.made.length === 1 && refuse, 'registering');
    factory.made[0].notify({ event: 'waiting' });
    await waitUntil(() => el.state === 'waiting', 'waiting');
    await waitUntil(() => query(el, '[part~="waiting"]'), 'the waiting panel (a chunk)');
    expect(query(el, '[part~="waiting"]')!.textContent).to.include('Ada');
    expect(factory.made[0].commands).to.deep.equal([{ command: 'knock', name: 'Ada' }]);
    await expect(el).to.be.accessible(A11Y);
    const failed = oneEvent(el, 'rtc-error');
    refuse(new RoomError('denied', 'denied'));
    expect((await failed).detail.code).to.equal('denied');
    expect(el.state).to.equal('error');
  });

  it('says “You were removed”, with no way back in', async () => {
    const el = await fixtureRoom();
    const room = await joinWithFakes(el);
    rooms.push(room);
    const failed = oneEvent(el, 'rtc-error');
    room.transport.fire('error', new RoomError('removed', 'removed'));
    expect((await failed).detail.code).to.equal('removed');
    await waitUntil(() => query(el, '[part~="removed"]'), 'the removed panel');
    expect(query(el, '[part~="removed"]')!.textContent!.trim()).to.equal(en.errors.removed);
    expect(query(el, '[part~="removed"] button')).to.equal(null);
  });
});
