import { roomOfPeerId } from '../src/room/room-id.js';
import { HOST_COMMANDS, parseRoomCommand } from '../src/room/room-protocol.js';
import { Door } from './door.js';
import { POLICY_VIOLATION } from './guarded-socket.js';
import { splitPeerToken } from './join-tokens.js';
import { peerTag, roomTag } from './log-tags.js';
import { RateLimiter } from './rate-limiter.js';
import { knockerInfo, memberInfo, noticeFrame, refuseSocket } from './room-members.js';
import { RoomStates, Visitor } from './room-states.js';

// Who is in a room is the server's decision: roles (a join token's `role`, or a created room's
// host key), the door of a locked room, removals that hold, and the notices that tell the room.
// The signalling guard calls in at a few points; everything about moderation is decided here.

/** Knocks one address may make a minute, five at once: a flood never buries the host's panel. */
export const KNOCKS_PER_MINUTE = 10;

/** Visitors waiting at one door at once; more are refused. */
export const MAX_WAITING_PER_ROOM = 20;

/** @typedef {import('peer').IClient} PeerClient */
/** @typedef {import('./guarded-socket.js').GuardedSocket} GuardedSocket */
/** @typedef {import('./metrics.js').RefusalReason} RefusalReason */

/**
 * @typedef {object} ModerationOptions
 * @property {import('./rooms.js').RoomRegistry} rooms
 * @property {import('./room-hosts.js').RoomHosts} roomHosts
 * @property {number} maxRoomSize
 * @property {import('./metrics.js').Metrics} metrics
 * @property {import('pino').Logger} logger
 * @property {import('./room-members.js').RoomMembers} members
 * @property {import('./janus/sfu-moves.js').SfuMoves | null} [sfu] moves large rooms to Janus
 * @property {number} [knockTimeoutMs]
 * @property {number} [roomMemoryMs]
 */

/** The moderation of every room on this server. */
export class Moderation {
  #rooms;
  #roomHosts;
  #maxRoomSize;
  #metrics;
  #logger;
  #states;
  #door;
  #members;
  #sfu;
  #knocks = new RateLimiter({ perMinute: KNOCKS_PER_MINUTE, burst: 5 });

  /** @param {ModerationOptions} options */
  constructor({ rooms, roomHosts, members, sfu, metrics, logger, ...options }) {
    this.#rooms = rooms;
    this.#roomHosts = roomHosts;
    this.#maxRoomSize = options.maxRoomSize;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#states = new RoomStates({ memoryMs: options.roomMemoryMs });
    this.#members = members;
    this.#sfu = sfu ?? null;
    this.#door = new Door(
      {
        knock: (knocker) => {
          const state = this.#states.get(knocker.visitor.roomId);
          if (!state) return;
          const knock = knockerInfo(knocker, state.guestNumberOf(knocker.visitor.secret));
          this.#members.tellHosts(knocker.visitor.roomId, { event: 'knock', knocker: knock });
        },
        end: (knocker, reason) => {
          const { roomId, id } = knocker.visitor;
          // An unanswered knock ends as a denial; a flooding one as that.
          if (reason === 'expired') refuseSocket(knocker.socket, 'denied');
          if (reason === 'flooding') knocker.socket.close(POLICY_VIOLATION, 'flooding');
          if (knocker.announced) this.#members.tellHosts(roomId, { event: 'knock-end', id });
          this.#settle(roomId);
        },
      },
      { timeoutMs: options.knockTimeoutMs },
    );
  }

  /**
   * Who an arriving socket is, and why it must be refused (removed, a forged host key, knocking
   * too often), or null. Called once the guard's own checks passed.
   * @param {GuardedSocket} socket
   * @param {object} arrival
   * @param {string} arrival.id
   * @param {string} arrival.token the whole PeerServer token
   * @param {string} arrival.address
   * @param {import('./join-tokens.js').JoinClaims | null} arrival.claims a checked join token's
   * @returns {RefusalReason | null}
   */
  admission(socket, { id, token, address, claims }) {
    const roomId = roomOfPeerId(id);
    if (!roomId) return null;
    const { secret, hostKey } = splitPeerToken(token);
    const isHostByKey = hostKey !== null && this.#roomHosts.isHostKey(roomId, hostKey);
    if (hostKey !== null && !isHostByKey) {
      this.#logger.warn(
        { event: 'refusal', reason: 'unauthorized', room: roomTag(roomId), ip: address },
        'refused a host key that is not the room’s',
      );
      return 'unauthorized';
    }
    const visitor = new Visitor({
      id,
      secret,
      role: isHostByKey || claims?.role === 'host' ? 'host' : 'guest',
      name: claims?.name ?? '',
      subject: claims?.subject ?? null,
      startsLocked: (claims?.locked ?? false) || this.#roomHosts.startsLocked(roomId),
    });
    const state = this.#states.get(roomId);
    if (state?.isRemoved(visitor)) return 'removed';
    if (this.#mustWait(visitor)) {
      if (this.#door.waiting(roomId).length >= MAX_WAITING_PER_ROOM) return 'too-many-knocks';
      if (this.#knocks.take(address) > 0) return 'too-many-knocks';
    }
    socket.visitor = visitor;
    return null;
  }

  /**
   * Keeps an admitted socket at the door of a locked room (true), to `enter` once a host lets it
   * in; false: it may register now.
   * @param {GuardedSocket} socket
   * @param {() => void} enter
   */
  holdsAtDoor(socket, enter) {
    const visitor = socket.visitor;
    if (!visitor || !this.#mustWait(visitor)) return false;
    this.#stateOf(visitor.roomId, visitor.startsLocked);
    this.#door.hold(visitor, socket, enter);
    socket.send(noticeFrame({ event: 'waiting' }));
    return true;
  }

  /**
   * PeerServer registered the socket: it is a member now, told the room, and the room told of it.
   * A room's state is made once it holds two visitors, or starts locked: a visitor alone in an
   * open room is guest 1 and needs none.
   * @param {GuardedSocket} socket
   * @param {PeerClient} client
   * @param {GuardedSocket} [replaced] the socket this one re-attaches in place of
   */
  entered(socket, client, replaced) {
    const member = socket.visitor;
    if (!member || member.id !== client.getId()) return;
    member.shareStrings(client);
    if (replaced?.visitor?.id === member.id) member.carryOver(replaced.visitor);
    const { roomId } = member;
    const state =
      this.#states.get(roomId) || member.startsLocked || this.#rooms.sizeOf(roomId) > 1
        ? this.#stateOf(roomId, member.startsLocked)
        : null;
    member.guest = state?.guestNumberOf(member.secret) ?? 1;
    if (state?.locked) state.admit(member.secret);
    this.#roomHosts.touch(roomId);
    const knocking =
      state && member.role === 'host'
        ? this.#door
            .waiting(roomId, { announcedOnly: true })
            .map((knocker) => knockerInfo(knocker, state.guestNumberOf(knocker.visitor.secret)))
        : [];
    socket.send(
      noticeFrame({
        event: 'welcome',
        self: memberInfo(member),
        members: this.#members.of(roomId).map(memberInfo),
        locked: state?.locked ?? false,
        knocking,
      }),
    );
    this.#members.broadcast(roomId, { event: 'member', member: memberInfo(member) }, member.id);
    this.#sfu?.entered(member);
  }

  /**
   * A registered peer left (its socket closed and PeerServer forgot it).
   * @param {string} id
   */
  departed(id) {
    const roomId = roomOfPeerId(id);
    if (!roomId) return;
    this.#sfu?.departed(roomId, id, this.#rooms.sizeOf(roomId) === 0);
    this.#settle(roomId);
  }

  /**
   * A frame from a socket PeerServer has not registered: a knock, if it waits at a door.
   * @param {GuardedSocket} socket
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  receiveWaiting(socket, data, isBinary) {
    this.#door.receive(socket, data, isBinary);
  }

  /**
   * A `ROOM` frame from a registered peer: carried out if its sender may give it.
   * @param {PeerClient} client
   * @param {unknown} payload
   */
  receiveCommand(client, payload) {
    const id = client.getId();
    const roomId = roomOfPeerId(id);
    const member = this.#members.get(id);
    const state = roomId && member ? this.#stateOf(roomId) : undefined;
    const command = parseRoomCommand(payload);
    if (!roomId || !state || !member || !command || command.command === 'knock') {
      this.#metrics.dropped('malformed');
      return;
    }
    const tag = { room: roomTag(roomId), peer: peerTag(id), command: command.command };
    if (HOST_COMMANDS.includes(command.command) && member.role !== 'host') {
      this.#metrics.refused('not-host');
      this.#logger.warn({ event: 'refusal', reason: 'not-host', ...tag }, 'refused a host command');
      this.#members.tell(id, { event: 'refused', command: command.command, reason: 'not-host' });
      return;
    }
    switch (command.command) {
      case 'lock':
      case 'unlock': {
        const locked = command.command === 'lock';
        this.#logger.info({ event: 'moderation', ...tag }, 'host command');
        if (state.locked === locked) return;
        state.locked = locked;
        // Whoever is in when the room locks comes back after a drop without knocking.
        if (locked) for (const each of this.#members.of(roomId)) state.admit(each.secret);
        this.#members.broadcast(roomId, { event: 'lock', locked });
        // Unlocking opens the door to whoever waits at it.
        if (!locked) for (const knocker of this.#door.waiting(roomId)) this.#admit(roomId, knocker);
        return;
      }
      case 'admit':
      case 'deny': {
        const knocker = this.#door.take(roomId, command.id);
        if (!knocker) {
          this.#members.tell(id, {
            event: 'refused',
            command: command.command,
            reason: 'unknown-peer',
          });
          return;
        }
        this.#logger.info({ event: 'moderation', ...tag, target: peerTag(command.id) }, 'door');
        if (command.command === 'admit') this.#admit(roomId, knocker);
        else this.#refuseKnocker(roomId, knocker, 'denied');
        return;
      }
      case 'remove':
        this.#remove(state, member, command.id);
        return;
      case 'mute':
        if (!this.#members.get(command.id, roomId)) break;
        this.#logger.info({ event: 'moderation', ...tag, target: peerTag(command.id) }, 'mute');
        this.#members.tell(command.id, { event: 'muted', by: id });
        return;
      case 'lower-hand':
      case 'hand': {
        const targetId = command.command === 'hand' ? id : command.id;
        const target = this.#members.get(targetId, roomId);
        if (!target) break;
        const raised = command.command === 'hand' ? command.raised : false;
        if (command.command === 'hand' && !member.takeGesture()) {
          this.#members.tell(id, { event: 'refused', command: 'hand', reason: 'rate-limited' });
          return;
        }
        if (target.handRaised === raised) return;
        target.handRaised = raised;
        this.#members.broadcast(roomId, { event: 'hand', id: targetId, raised, by: id });
        return;
      }
      case 'react':
        if (!member.takeGesture()) {
          this.#members.tell(id, { event: 'refused', command: 'react', reason: 'rate-limited' });
          return;
        }
        this.#members.broadcast(roomId, { event: 'reaction', id, emoji: command.emoji });
        return;
    }
    this.#members.tell(id, { event: 'refused', command: command.command, reason: 'unknown-peer' });
  }

  /**
   * Whether a join token's holder was removed from the room (no more TURN credentials for it).
   * @param {string} roomId
   * @param {string} subject
   */
  isRemovedSubject(roomId, subject) {
    return this.#states.get(roomId)?.isRemovedSubject(subject) ?? false;
  }

  /**
   * Whether the room's peers may be listed to whoever asks: not while it is locked, except to a
   * member who proves it is one (`<peer ID> <client secret>`).
   * @param {string} roomId
   * @param {string | undefined} proof
   */
  mayListPeers(roomId, proof) {
    const state = this.#states.get(roomId);
    if (!state?.locked) return true;
    const [id, secret] = (proof ?? '').split(' ');
    const member = id ? this.#members.get(id, roomId) : undefined;
    return member !== undefined && member.secret === secret;
  }

  close() {
    this.#sfu?.close();
    this.#door.close();
    this.#states.close();
  }

  /** @param {Visitor} visitor */
  #mustWait({ id, roomId, role, secret, startsLocked }) {
    if (role === 'host' || this.#rooms.isConnected(id)) return false;
    const state = this.#states.get(roomId);
    if (!state) return startsLocked;
    return state.locked && !state.isAdmitted(secret);
  }

  /**
   * @param {string} roomId
   * @param {import('./door.js').Knocker} knocker
   */
  #admit(roomId, knocker) {
    this.#door.take(roomId, knocker.visitor.id);
    if (knocker.announced)
      this.#members.tellHosts(roomId, { event: 'knock-end', id: knocker.visitor.id });
    if (this.#rooms.sizeOf(roomId) >= this.#maxRoomSize) {
      this.#refuseKnocker(roomId, knocker, 'room-full');
      return;
    }
    this.#states.get(roomId)?.admit(knocker.visitor.secret);
    if (knocker.socket.readyState === knocker.socket.OPEN) knocker.enter();
  }

  /**
   * @param {string} roomId
   * @param {import('./door.js').Knocker} knocker
   * @param {'denied' | 'room-full'} reason
   */
  #refuseKnocker(roomId, knocker, reason) {
    this.#metrics.refused(reason);
    refuseSocket(knocker.socket, reason);
    if (reason === 'denied' && knocker.announced) {
      this.#members.tellHosts(roomId, { event: 'knock-end', id: knocker.visitor.id });
    }
    this.#settle(roomId);
  }

  /**
   * @param {import('./room-states.js').RoomState} state
   * @param {Visitor} host
   * @param {string} targetId
   */
  #remove(state, host, targetId) {
    const { roomId } = host;
    const knocker = this.#door.take(roomId, targetId);
    if (knocker) {
      this.#refuseKnocker(roomId, knocker, 'denied');
      return;
    }
    const target = this.#members.get(targetId, roomId);
    if (!target || target.id === host.id) {
      this.#members.tell(host.id, { event: 'refused', command: 'remove', reason: 'unknown-peer' });
      return;
    }
    state.remove(target);
    this.#logger.info(
      { event: 'moderation', command: 'remove', room: roomTag(roomId), peer: peerTag(host.id) },
      'removed a visitor',
    );
    const socket = this.#rooms.clientOf(targetId)?.getSocket();
    if (socket) refuseSocket(socket, 'removed');
    this.#members.broadcast(roomId, { event: 'removed', id: targetId }, targetId);
    this.#sfu?.removed(roomId, targetId);
  }

  /**
   * The room's state, made now for a room that has none yet: the members already in take the
   * first default-name numbers, in the order they came.
   * @param {string} roomId
   * @param {boolean} [startsLocked]
   */
  #stateOf(roomId, startsLocked = false) {
    const existing = this.#states.get(roomId);
    const state = this.#states.open(roomId, startsLocked);
    if (!existing)
      for (const member of this.#members.of(roomId)) state.guestNumberOf(member.secret);
    return state;
  }

  /** @param {string} roomId */
  #settle(roomId) {
    const state = this.#states.get(roomId);
    if (!state) return;
    this.#states.settle(
      roomId,
      this.#rooms.sizeOf(roomId) === 0 && this.#door.waiting(roomId).length === 0,
    );
  }
}
