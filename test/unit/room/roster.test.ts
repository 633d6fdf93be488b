import { expect } from '@open-wc/testing';
import { Roster } from '../../../src/room/roster.js';

describe('Roster', () => {
  it('announces a peer once, however often it says hello, and keeps its latest name', () => {
    const roster = new Roster();
    expect(roster.arrive('a', 'Ada')).to.equal(true);
    expect(roster.arrive('a', 'Ada L.')).to.equal(false);
    expect(roster.nameOf('a')).to.equal('Ada L.');
  });

  it('tells of a departure only for a peer it announced, and announces it again after', () => {
    const roster = new Roster();
    expect(roster.depart('a')).to.equal(false);
    roster.arrive('a', 'Ada');
    expect(roster.depart('a')).to.equal(true);
    expect(roster.depart('a')).to.equal(false);
    expect(roster.nameOf('a'), 'the name stays for an unreachable tile').to.equal('Ada');
    expect(roster.arrive('a', 'Ada')).to.equal(true);
  });

  it('knows no name for a peer it never heard of, and forgets everyone on clear', () => {
    const roster = new Roster();
    expect(roster.nameOf('x')).to.equal('');
    roster.rename('b', 'Bob');
    roster.clear();
    expect(roster.nameOf('b')).to.equal('');
  });
});
