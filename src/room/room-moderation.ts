import { RoomError } from '../errors.js';
import { Emitter } from '../util/emitter.js';
import type { Participant, PeerFacts } from './participant.js';
import {
  HOST_COMMANDS,
  type KnockerInfo,
  type MemberInfo,
  type RoomCommand,
  type RoomNotice,
} from './room-protocol.js';

/** The name shown for a visitor who gave none: distinct in the room, the same on every screen. */
export const guestName = (guest: number): string => `Guest ${guest}`;

/** Someone at the door of a locked room, as a host sees them. */
export interface Knocker {
  readonly id: string;
  /** The name a join token vouches for, else the one they knocked with, else "Guest N". */
  readonly name: string;
}

const knockerOf = ({ id, name, guest }: KnockerInfo): Knocker => ({
  id,
  name: name || guestName(guest),
});

export interface RoomModerationEvents {
  /** What the server said changed what the room shows: roles, names, hands, the lock, the door. */
  change: void;
  /** A host locked (true) or unlocked (false) the room. */
  lock: boolean;
  /** Someone knocked at the door (hosts hear of it). */
  knock: Knocker;
  /** Someone raised or lowered a hand (`by` lowered it, if not them). */
  hand: { id: string; raised: boolean };
  /** Someone reacted, this visitor too. */
  reaction: { id: string; emoji: string };
  /** A host turned this visitor's microphone off (the host's peer ID). */
  muted: string;
  /** The server removed another visitor: links to it close. */
  removed: string;
  /** The room is locked: this visitor waits at the door until a host lets it in. */
  waiting: void;
}

/**
 * What the server says about the room, and the only place that keeps it: who hosts, the names
 * it vouches for, hands, the lock and the door. Nothing here comes from a peer. Commands go to
 * the server, which decides; a guest's host command is refused here already.
 */
export class RoomModeration extends Emitter<RoomModerationEvents> {
  private selfId = '';
  private readonly members = new Map<string, MemberInfo>();
  private isLocked = false;
  private knockers: readonly Knocker[] = [];

  /** `send` hands a command to the server; false when the server cannot be reached now. */
  constructor(private readonly send: (command: RoomCommand) => boolean) {
    super();
  }

  /** Whether this visitor is a host of the room. */
  get isHost(): boolean {
    return this.members.get(this.selfId)?.role === 'host';
  }

  /** Whether the room is locked: newcomers wait at the door. */
  get locked(): boolean {
    return this.isLocked;
  }

  /** Who waits at the door having knocked, oldest first (told to hosts only). */
  get knocking(): readonly Knocker[] {
    return this.knockers;
  }

  /** Carries out one notice from the server. */
  handle(notice: RoomNotice): void {
    const dropKnocker = (id: string) => this.knockers.filter((knocker) => knocker.id !== id);
    switch (notice.event) {
      case 'welcome':
        this.selfId = notice.self.id;
        this.members.clear();
        for (const member of [...notice.members, notice.self]) this.members.set(member.id, member);
        this.isLocked = notice.locked;
        this.knockers = notice.knocking.map(knockerOf);
        break;
      case 'member':
        this.members.set(notice.member.id, notice.member);
        break;
      case 'lock':
        this.isLocked = notice.locked;
        this.emit('lock', notice.locked);
        break;
      case 'knock': {
        const knocker = knockerOf(notice.knocker);
        this.knockers = [...dropKnocker(knocker.id), knocker];
        this.emit('knock', knocker);
        break;
      }
      case 'knock-end':
        this.knockers = dropKnocker(notice.id);
        break;
      case 'removed':
        this.members.delete(notice.id);
        this.emit('removed', notice.id);
        break;
      case 'hand': {
        const member = this.members.get(notice.id);
        if (member) this.members.set(notice.id, { ...member, handRaised: notice.raised });
        this.emit('hand', { id: notice.id, raised: notice.raised });
        break;
      }
      case 'waiting':
        this.emit('waiting', undefined);
        return;
      case 'muted':
        this.emit('muted', notice.by);
        return;
      case 'reaction':
        this.emit('reaction', { id: notice.id, emoji: notice.emoji });
        return;
      // A refusal (too fast, not a host, nobody by that ID) changes nothing.
      case 'refused':
        return;
    }
    this.emit('change', undefined);
  }

  /**
   * Sends a command to the server. Throws a RoomError: `not-host` for a host's command from a
   * guest, `signalling-lost` when the server cannot be reached now.
   */
  command(command: RoomCommand): void {
    if (HOST_COMMANDS.includes(command.command) && !this.isHost) {
      throw new RoomError('not-host', `Only a host may ${command.command}`);
    }
    if (!this.send(command)) {
      throw new RoomError('signalling-lost', 'The room server cannot be reached now');
    }
  }

  /** The name to show for a visitor: the one its token vouches for, else its own, else "Guest N". */
  nameOf(id: string, claimed: string): string {
    const member = this.members.get(id);
    if (!member) return claimed;
    return member.verified ? member.name : claimed || guestName(member.guest);
  }

  /** A participant with what the server says of it: role, vouched name, hand. */
  describe(facts: PeerFacts): Participant {
    const member = this.members.get(facts.id);
    return {
      ...facts,
      name: this.nameOf(facts.id, facts.name),
      role: member?.role ?? 'guest',
      verified: member?.verified ?? false,
      handRaised: member?.handRaised ?? false,
    };
  }
}
