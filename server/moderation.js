import { roomOfPeerId } from '../src/room/room-id.js';
import { HOST_COMMANDS, parseRoomCommand } from '../src/room/room-protocol.js';
import { Door } from './door.js';
import { POLICY_VIOLATION } from './guarded-socket.js';
import { splitPeerToken } from './join-tokens.js';
import { peerTag, roomTag } from './log-tags.js';
import { RateLimiter } from './rate-limiter.js';
import { RoomStates } from './room-states.js';

// Who is in a room is the server's decision: roles (a join token's `role`, or a created room's
// host key), the door of a locked room, removals that hold, and the notices that tell the room.
// The signalling guard calls in at a few points; everything about moderation is decided here.

/** Knocks one address may make a minute, five at once: a flood never buries the host's panel. */
export const KNOCKS_PER_MINUTE = 10;

/** Visitors waiting at one door at once; more are refused. */
export const MAX_WAITING_PER_ROOM = 20;

/** @typedef {import('./room-states.js').Visitor} Visitor */
/** @typedef {import('./room-states.js').Member} Member */
/** @typedef {import('../src/room/room-protocol.js').RoomNotice} RoomNotice */
/** @typedef {import('peer').IClient} PeerClient */
/** @typedef {import('./metrics.js').RefusalReason} RefusalReason */

/**
 * @param {Member} member
 * @returns {import('../src/room/room-protocol.js').MemberInfo}
 */
const memberInfo = ({ id, role, name, verified, guest, handRaised }) => ({
  id,
  role,
  name,
  verified,
  guest,
  handRaised,
});

/**
 * @param {import('./door.js').Knocker} knocker
 * @param {number} guest
 * @returns {import('../src/room/room-protocol.js').KnockerInfo}
 */
const knockerInfo = ({ visitor, name }, guest) => ({
  id: visitor.id,
  name,
  verified: visitor.verified,
  guest,
});

/** @param {RoomNotice} notice */
const noticeFrame = (notice) => JSON.stringify({ type: 'ROOM', payload: notice });

/**
 * @param {import('ws').WebSocket} socket
 * @param {string} reason the ERROR message the client reads (`removed`, `denied`, …)
 */
function refuseSocket(socket, reason) {
  socket.send(JSON.stringify({ type: 'ERROR', payload: { msg: reason } }));
  socket.close(POLICY_VIOLATION, reason);
}

/**
 * @typedef {object} ModerationOptions
 * @property {import('./rooms.js').RoomRegistry} rooms
 * @property {import('./room-hosts.js').RoomHosts} roomHosts
 * @property {number} maxRoomSize
 * @property {import('./metrics.js').Metrics} metrics
 * @property {import('pino').Logger} logger
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
  #knocks = new RateLimiter({ perMinute: KNOCKS_PER_MINUTE, burst: 5 });
  /** @type {WeakMap<import('ws').WebSocket, Visitor>} who each arriving socket is */
  #visitors = new WeakMap();

  /** @param {ModerationOptions} options */
  constructor({ rooms, roomHosts, maxRoomSize, metrics, logger, knockTimeoutMs, roomMemoryMs }) {
    this.#rooms = rooms;
    this.#roomHosts = roomHosts;
    this.#maxRoomSize = maxRoomSize;
    this.#metrics = metrics;
    this.#logger = logger;
    this.#states = new RoomStates({ memoryMs: roomMemoryMs });
    this.#door = new Door(
      {
        knock: (knocker) => {
          const state = this.#states.get(knocker.visitor.roomId);
          if (!state) return;
          const knock = knockerInfo(knocker, state.guestNumberOf(knocker.visitor.secret));
          this.#tellHosts(knocker.visitor.roomId, { event: 'knock', knocker: knock });
        },
        end: (knocker, reason) => {
          const { roomId, id } = knocker.visitor;
          // An unanswered knock ends as a denial; a flooding one as that.
          if (reason === 'expired') refuseSocket(knocker.socket, 'denied');
          if (reason === 'flooding') knocker.socket.close(POLICY_VIOLATION, 'flooding');
          if (knocker.announced) this.#tellHosts(roomId, { event: 'knock-end', id });
          this.#settle(roomId);
        },
      },
      { timeoutMs: knockTimeoutMs },
    );
  }

  /**
   * Who an arriving socket is, and why it must be refused (removed, a forged host key, knocking
   * too often), or null. Called once the guard's own checks passed.
   * @param {import('ws').WebSocket} socket
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
    /** @type {Visitor} */
    const visitor = {
      id,
      roomId,
      secret,
      address,
      role: isHostByKey || claims?.role === 'host' ? 'host' : 'guest',
      name: claims?.name ?? '',
      verified: Boolean(claims?.name),
      subject: claims?.subject ?? null,
      startsLocked: (claims?.locked ?? false) || this.#roomHosts.startsLocked(roomId),
    };
    const state = this.#states.get(roomId);
    if (state?.isRemoved(visitor)) return 'removed';
    if (this.#mustWait(visitor)) {
      if (this.#door.waiting(roomId).length >= MAX_WAITING_PER_ROOM) return 'too-many-knocks';
      if (this.#knocks.take(address) > 0) return 'too-many-knocks';
    }
    this.#visitors.set(socket, visitor);
    return null;
  }

  /**
   * Keeps an admitted socket at the door of a locked room (true), to `enter` once a host lets it
   * in; false: it may register now.
   * @param {import('ws').WebSocket} socket
   * @param {() => void} enter
   */
  holdsAtDoor(socket, enter) {
    const visitor = this.#visitors.get(socket);
    if (!visitor || !this.#mustWait(visitor)) return false;
    this.#states.open(visitor.roomId, visitor.startsLocked);
    this.#door.hold(visitor, socket, enter);
    socket.send(noticeFrame({ event: 'waiting' }));
    return true;
  }

  /**
   * PeerServer registered the socket: it is a member now, told the room, and the room told of it.
   * @param {import('ws').WebSocket} socket
   * @param {PeerClient} client
   */
  entered(socket, client) {
    const visitor = this.#visitors.get(socket);
    if (!visitor || visitor.id !== client.getId()) return;
    const state = this.#states.open(visitor.roomId, visitor.startsLocked);
    const member = state.enter(visitor);
    this.#roomHosts.touch(visitor.roomId);
    const knocking =
      member.role === 'host'
        ? this.#door
            .waiting(visitor.roomId, { announcedOnly: true })
            .map((knocker) => knockerInfo(knocker, state.guestNumberOf(knocker.visitor.secret)))
        : [];
    socket.send(
      noticeFrame({
        event: 'welcome',
        self: memberInfo(member),
        members: [...state.members.values()].map(memberInfo),
        locked: state.locked,
        knocking,
      }),
    );
    this.#broadcast(visitor.roomId, { event: 'member', member: memberInfo(member) }, member.id);
  }

  /**
   * A registered peer left (its socket closed and PeerServer forgot it).
   * @param {string} id
   */
  departed(id) {
    const roomId = roomOfPeerId(id);
    if (!roomId) return;
    this.#states.get(roomId)?.members.delete(id);
    this.#settle(roomId);
  }

  /**
   * A frame from a socket PeerServer has not registered: a knock, if it waits at a door.
   * @param {import('ws').WebSocket} socket
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
    const state = roomId ? this.#states.get(roomId) : undefined;
    const member = state?.members.get(id);
    const command = parseRoomCommand(payload);
    if (!roomId || !state || !member || !command || command.command === 'knock') {
      this.#metrics.dropped('malformed');
      return;
    }
    const tag = { room: roomTag(roomId), peer: peerTag(id), command: command.command };
    if (HOST_COMMANDS.includes(command.command) && member.role !== 'host') {
      this.#metrics.refused('not-host');
      this.#logger.warn({ event: 'refusal', reason: 'not-host', ...tag }, 'refused a host command');
      this.#tell(id, { event: 'refused', command: command.command, reason: 'not-host' });
      return;
    }
    switch (command.command) {
      case 'lock':
      case 'unlock': {
        const locked = command.command === 'lock';
        this.#logger.info({ event: 'moderation', ...tag }, 'host command');
        if (state.locked === locked) return;
        state.locked = locked;
        this.#broadcast(roomId, { event: 'lock', locked });
        // Unlocking opens the door to whoever waits at it.
        if (!locked) for (const knocker of this.#door.waiting(roomId)) this.#admit(roomId, knocker);
        return;
      }
      case 'admit':
      case 'deny': {
        const knocker = this.#door.take(roomId, command.id);
        if (!knocker) {
          this.#tell(id, { event: 'refused', command: command.command, reason: 'unknown-peer' });
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
        if (!state.members.has(command.id)) break;
        this.#logger.info({ event: 'moderation', ...tag, target: peerTag(command.id) }, 'mute');
        this.#tell(command.id, { event: 'muted', by: id });
        return;
      case 'lower-hand':
      case 'hand': {
        const targetId = command.command === 'hand' ? id : command.id;
        const target = state.members.get(targetId);
        if (!target) break;
        const raised = command.command === 'hand' ? command.raised : false;
        if (command.command === 'hand' && member.gestures.take() !== 'granted') {
          this.#tell(id, { event: 'refused', command: 'hand', reason: 'rate-limited' });
          return;
        }
        if (target.handRaised === raised) return;
        target.handRaised = raised;
        this.#broadcast(roomId, { event: 'hand', id: targetId, raised, by: id });
        return;
      }
      case 'react':
        if (member.gestures.take() !== 'granted') {
          this.#tell(id, { event: 'refused', command: 'react', reason: 'rate-limited' });
          return;
        }
        this.#broadcast(roomId, { event: 'reaction', id, emoji: command.emoji });
        return;
    }
    this.#tell(id, { event: 'refused', command: command.command, reason: 'unknown-peer' });
  }

  /**
   * Whether a join token's holder was removed from the room (no more TURN credentials for it).
   * @param {string} roomId
   * @param {string} subject
   */
  isRemovedSubject(roomId, subject) {
    return this.#states.get(roomId)?.removedSubjects.has(subject) ?? false;
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
    const member = id ? state.members.get(id) : undefined;
    return member !== undefined && member.secret === secret;
  }

  close() {
    this.#door.close();
    this.#states.close();
  }

  /** @param {Visitor} visitor */
  #mustWait({ id, roomId, role, secret, startsLocked }) {
    if (role === 'host' || this.#rooms.isConnected(id)) return false;
    const state = this.#states.get(roomId);
    if (!state) return startsLocked;
    return state.locked && !state.admittedSecrets.has(secret);
  }

  /**
   * @param {string} roomId
   * @param {import('./door.js').Knocker} knocker
   */
  #admit(roomId, knocker) {
    this.#door.take(roomId, knocker.visitor.id);
    if (knocker.announced) this.#tellHosts(roomId, { event: 'knock-end', id: knocker.visitor.id });
    if (this.#rooms.sizeOf(roomId) >= this.#maxRoomSize) {
      this.#refuseKnocker(roomId, knocker, 'room-full');
      return;
    }
    this.#states.get(roomId)?.admittedSecrets.add(knocker.visitor.secret);
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
      this.#tellHosts(roomId, { event: 'knock-end', id: knocker.visitor.id });
    }
    this.#settle(roomId);
  }

  /**
   * @param {import('./room-states.js').RoomState} state
   * @param {Member} host
   * @param {string} targetId
   */
  #remove(state, host, targetId) {
    const { roomId } = host;
    const knocker = this.#door.take(roomId, targetId);
    if (knocker) {
      this.#refuseKnocker(roomId, knocker, 'denied');
      return;
    }
    const target = state.members.get(targetId);
    if (!target || target.id === host.id) {
      this.#tell(host.id, { event: 'refused', command: 'remove', reason: 'unknown-peer' });
      return;
    }
    // Refused from now on by secret (a reload, a reconnect) and by token identity.
    state.removedSecrets.add(target.secret);
    if (target.subject !== null) state.removedSubjects.add(target.subject);
    state.admittedSecrets.delete(target.secret);
    state.members.delete(targetId);
    this.#logger.info(
      { event: 'moderation', command: 'remove', room: roomTag(roomId), peer: peerTag(host.id) },
      'removed a visitor',
    );
    const socket = this.#rooms.clientOf(targetId)?.getSocket();
    if (socket) refuseSocket(socket, 'removed');
    this.#broadcast(roomId, { event: 'removed', id: targetId }, targetId);
  }

  /**
   * @param {string} id
   * @param {RoomNotice} notice
   */
  #tell(id, notice) {
    this.#rooms.clientOf(id)?.getSocket()?.send(noticeFrame(notice));
  }

  /**
   * @param {string} roomId
   * @param {RoomNotice} notice
   */
  #tellHosts(roomId, notice) {
    for (const host of this.#states.get(roomId)?.hosts() ?? []) this.#tell(host.id, notice);
  }

  /**
   * @param {string} roomId
   * @param {RoomNotice} notice
   * @param {string} [exceptId]
   */
  #broadcast(roomId, notice, exceptId) {
    const frame = noticeFrame(notice);
    for (const id of this.#rooms.peersOf(roomId)) {
      if (id !== exceptId) this.#rooms.clientOf(id)?.getSocket()?.send(frame);
    }
  }

  /** @param {string} roomId */
  #settle(roomId) {
    const state = this.#states.get(roomId);
    if (!state) return;
    this.#states.settle(
      roomId,
      state.members.size === 0 && this.#door.waiting(roomId).length === 0,
    );
  }
}
