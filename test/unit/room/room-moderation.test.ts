import { expect } from '@open-wc/testing';
import { RoomError } from '../../../src/errors.js';
import type { PeerFacts } from '../../../src/room/participant.js';
import { RoomModeration } from '../../../src/room/room-moderation.js';
import type { MemberInfo, RoomCommand } from '../../../src/room/room-protocol.js';
import { member } from '../support/members.js';

const facts = (id: string, name: string): PeerFacts => ({
  id,
  name,
  isLocal: false,
  hasAudio: true,
  hasVideo: true,
  stream: null,
  screen: null,
  connection: null,
  safetyCode: null,
});

function moderationOf(self: MemberInfo, members: MemberInfo[] = [], canSend = true) {
  const sent: RoomCommand[] = [];
  const moderation = new RoomModeration((command) => {
    if (canSend) sent.push(command);
    return canSend;
  });
  moderation.handle({ event: 'welcome', self, members, locked: false, knocking: [] });
  return { moderation, sent };
}

describe('RoomModeration', () => {
  it('shows the name a token vouches for, whatever the hello says', () => {
    const { moderation } = moderationOf(member('me'), [
      member('grace', { name: 'Grace', verified: true }),
    ]);
    expect(moderation.describe(facts('grace', 'Ada'))).to.deep.include({
      name: 'Grace',
      verified: true,
      role: 'guest',
    });
  });

  it('gives a visitor without a name the distinct default the server numbered', () => {
    const { moderation } = moderationOf(member('me'), [
      member('a', { guest: 2 }),
      member('b', { guest: 3 }),
    ]);
    expect(moderation.describe(facts('a', '')).name).to.equal('Guest 2');
    expect(moderation.describe(facts('b', '')).name).to.equal('Guest 3');
    expect(moderation.describe(facts('b', 'Bob')).name).to.equal('Bob');
  });

  it('keeps what peers say of themselves for a visitor the server has not described', () => {
    const { moderation } = moderationOf(member('me'));
    expect(moderation.describe(facts('x', 'Xavier'))).to.deep.include({
      name: 'Xavier',
      role: 'guest',
      verified: false,
      handRaised: false,
    });
  });

  it('follows hands, roles and the lock from the server', () => {
    const { moderation } = moderationOf(member('me'), [member('a')]);
    const locks: boolean[] = [];
    moderation.on('lock', (locked) => locks.push(locked));
    moderation.handle({ event: 'hand', id: 'a', raised: true, by: 'a' });
    moderation.handle({ event: 'member', member: member('h', { role: 'host' }) });
    moderation.handle({ event: 'lock', locked: true });
    expect(moderation.describe(facts('a', '')).handRaised).to.equal(true);
    expect(moderation.describe(facts('h', '')).role).to.equal('host');
    expect(moderation.locked).to.equal(true);
    expect(locks).to.deep.equal([true]);
  });

  it('lists the knockers a host hears of, by name, until their knock ends', () => {
    const { moderation } = moderationOf(member('me', { role: 'host' }));
    const knocks: unknown[] = [];
    moderation.on('knock', (knocker) => knocks.push(knocker));
    moderation.handle({
      event: 'knock',
      knocker: { id: 'k1', name: 'Kim', verified: false, guest: 4 },
    });
    moderation.handle({
      event: 'knock',
      knocker: { id: 'k2', name: '', verified: false, guest: 5 },
    });
    expect(moderation.knocking).to.deep.equal([
      { id: 'k1', name: 'Kim' },
      { id: 'k2', name: 'Guest 5' },
    ]);
    expect(knocks).to.have.length(2);
    moderation.handle({ event: 'knock-end', id: 'k1' });
    expect(moderation.knocking.map((knocker) => knocker.id)).to.deep.equal(['k2']);
  });

  it('refuses a guest’s host command without sending it', () => {
    const { moderation, sent } = moderationOf(member('me'));
    for (const command of [
      { command: 'lock' },
      { command: 'admit', id: 'k' },
      { command: 'remove', id: 'a' },
      { command: 'mute', id: 'a' },
    ] as RoomCommand[]) {
      let error: unknown;
      try {
        moderation.command(command);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).to.be.instanceOf(RoomError);
      expect((error as RoomError).code).to.equal('not-host');
    }
    expect(sent).to.deep.equal([]);
  });

  it('sends a host’s commands and everyone’s hand and reaction to the server', () => {
    const { moderation, sent } = moderationOf(member('me', { role: 'host' }));
    moderation.command({ command: 'lock' });
    moderation.command({ command: 'hand', raised: true });
    moderation.command({ command: 'react', emoji: '👍' });
    expect(sent.map((command) => command.command)).to.deep.equal(['lock', 'hand', 'react']);
  });

  it('says the server is out of reach when a command cannot be sent', () => {
    const { moderation } = moderationOf(member('me'), [], false);
    expect(() => moderation.command({ command: 'hand', raised: true })).to.throw(RoomError);
  });

  it('tells of reactions, a mute and a removal, and takes a refusal quietly', () => {
    const { moderation } = moderationOf(member('me'), [member('a')]);
    const heard: unknown[] = [];
    moderation.on('reaction', (reaction) => heard.push(reaction));
    moderation.on('muted', (by) => heard.push(['muted', by]));
    moderation.on('removed', (id) => heard.push(['removed', id]));
    moderation.on('change', () => heard.push('change'));
    moderation.handle({ event: 'reaction', id: 'a', emoji: '🎉' });
    moderation.handle({ event: 'muted', by: 'h' });
    moderation.handle({ event: 'refused', command: 'react', reason: 'rate-limited' });
    moderation.handle({ event: 'removed', id: 'a' });
    expect(heard).to.deep.equal([
      { id: 'a', emoji: '🎉' },
      ['muted', 'h'],
      ['removed', 'a'],
      'change',
    ]);
  });
});
