import { roomOfPeerId } from '../src/room/room-id.js';
import { POLICY_VIOLATION } from './guarded-socket.js';

// Who is in each room as moderation sees it, and how they are told about it: `ROOM` notices over
// the signalling socket, to one member, to the hosts or to the whole room, and the refusal that
// closes a socket.

/** @typedef {import('../src/room/room-protocol.js').RoomNotice} RoomNotice */
/** @typedef {import('./room-states.js').Visitor} Visitor */
/** @typedef {import('./guarded-socket.js').GuardedSocket} GuardedSocket */

/**
 * What a room is told of a member.
 * @param {Visitor} member
 * @returns {import('../src/room/room-protocol.js').MemberInfo}
 */
export const memberInfo = ({ id, role, name, verified, guest, handRaised }) => ({
  id,
  role,
  name,
  verified,
  guest,
  handRaised,
});

/**
 * What hosts are told of someone at the door.
 * @param {import('./door.js').Knocker} knocker
 * @param {number} guest the number of its default name
 * @returns {import('../src/room/room-protocol.js').KnockerInfo}
 */
export const knockerInfo = ({ visitor, name }, guest) => ({
  id: visitor.id,
  name,
  verified: visitor.verified,
  guest,
});

/** @param {RoomNotice} notice */
export const noticeFrame = (notice) => JSON.stringify({ type: 'ROOM', payload: notice });

/**
 * Refuses a socket with the ERROR message the client reads (`removed`, `denied`, …), and closes it.
 * @param {import('ws').WebSocket} socket
 * @param {string} reason
 */
export function refuseSocket(socket, reason) {
  socket.send(JSON.stringify({ type: 'ERROR', payload: { msg: reason } }));
  socket.close(POLICY_VIOLATION, reason);
}

/**
 * The registered members of every room, found through PeerServer's own clients and the visitor
 * each one's socket carries, so that no table of members is kept beside them.
 */
export class RoomMembers {
  #rooms;

  /** @param {import('./rooms.js').RoomRegistry} rooms */
  constructor(rooms) {
    this.#rooms = rooms;
  }

  /**
   * A registered member, by peer ID; not one that was removed.
   * @param {string} id
   * @param {string | null} [roomId] the ID's room, when the caller knows it
   * @returns {Visitor | undefined}
   */
  get(id, roomId = roomOfPeerId(id)) {
    const socket = roomId ? this.#rooms.clientIn(roomId, id)?.getSocket() : undefined;
    const visitor = /** @type {GuardedSocket | undefined} */ (socket)?.visitor;
    return visitor?.id === id && !visitor.isRemoved ? visitor : undefined;
  }

  /**
   * The room's members, in the order they joined.
   * @param {string} roomId
   * @returns {Visitor[]}
   */
  of(roomId) {
    return this.#rooms.peersOf(roomId).flatMap((id) => this.get(id, roomId) ?? []);
  }

  /**
   * @param {string} id
   * @param {RoomNotice} notice
   */
  tell(id, notice) {
    this.#rooms.clientOf(id)?.getSocket()?.send(noticeFrame(notice));
  }

  /**
   * @param {string} roomId
   * @param {RoomNotice} notice
   */
  tellHosts(roomId, notice) {
    const hosts = this.of(roomId).filter((member) => member.role === 'host');
    this.#tellEach(
      hosts.map((host) => host.id),
      notice,
    );
  }

  /**
   * @param {Iterable<string>} ids
   * @param {RoomNotice} notice
   */
  #tellEach(ids, notice) {
    const frame = noticeFrame(notice);
    for (const id of ids) this.#rooms.clientOf(id)?.getSocket()?.send(frame);
  }

  /**
   * Everyone in the room but `exceptId`.
   * @param {string} roomId
   * @param {RoomNotice} notice
   * @param {string} [exceptId]
   */
  broadcast(roomId, notice, exceptId) {
    this.#tellEach(
      this.#rooms.peersOf(roomId).filter((id) => id !== exceptId),
      notice,
    );
  }
}
