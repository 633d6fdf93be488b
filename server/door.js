import { parseRoomCommand } from '../src/room/room-protocol.js';
import { parseSignalMessage } from './signal-message.js';

/** A knock nobody answers ends after this long, as denied. */
export const KNOCK_TIMEOUT_MS = 10 * 60_000;

/** Frames a waiting socket may send (heartbeats, its knock) before it is closed as a flood. */
const MAX_WAITING_FRAMES = 200;

/**
 * Someone at the door of a locked room: its socket is open but not registered with PeerServer,
 * so nothing is relayed to or from it and it learns nobody's ID.
 * @typedef {object} Knocker
 * @property {import('./room-states.js').Visitor} visitor
 * @property {import('ws').WebSocket} socket
 * @property {() => void} enter registers it with PeerServer, once admitted
 * @property {string} name the vouched name, or the one it knocked with
 * @property {boolean} announced it knocked: the hosts were told
 * @property {number} frames
 * @property {NodeJS.Timeout} timer its knock's end
 * @property {() => void} onClose
 */

/**
 * @typedef {object} DoorEvents
 * @property {(knocker: Knocker) => void} knock a waiting visitor knocked: tell the hosts
 * @property {(knocker: Knocker, reason: 'expired' | 'gone' | 'flooding') => void} end a knock ended on its own
 */

/** The waiting visitors of every locked room, each with a timer and its socket. */
export class Door {
  /** @type {Map<string, Map<string, Knocker>>} by room, then peer ID */
  #rooms = new Map();
  /** @type {WeakMap<import('ws').WebSocket, Knocker>} */
  #bySocket = new WeakMap();
  #timeoutMs;
  #events;

  /**
   * @param {DoorEvents} events
   * @param {{ timeoutMs?: number }} [options]
   */
  constructor(events, { timeoutMs = KNOCK_TIMEOUT_MS } = {}) {
    this.#events = events;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Keeps a visitor waiting until it is let in, refused, or its knock times out.
   * @param {import('./room-states.js').Visitor} visitor
   * @param {import('ws').WebSocket} socket
   * @param {() => void} enter
   */
  hold(visitor, socket, enter) {
    let room = this.#rooms.get(visitor.roomId);
    if (!room) this.#rooms.set(visitor.roomId, (room = new Map()));
    /** @type {Knocker} */
    const knocker = {
      visitor,
      socket,
      enter,
      name: visitor.name,
      announced: false,
      frames: 0,
      timer: setTimeout(() => this.#end(knocker, 'expired'), this.#timeoutMs),
      onClose: () => this.#end(knocker, 'gone'),
    };
    knocker.timer.unref();
    socket.once('close', knocker.onClose);
    room.set(visitor.id, knocker);
    this.#bySocket.set(socket, knocker);
  }

  /**
   * A frame from a waiting socket: its knock (with a name) is the only one read.
   * @param {import('ws').WebSocket} socket
   * @param {import('ws').RawData} data
   * @param {boolean} isBinary
   */
  receive(socket, data, isBinary) {
    const knocker = this.#bySocket.get(socket);
    if (!knocker) return;
    if (++knocker.frames > MAX_WAITING_FRAMES) {
      this.#end(knocker, 'flooding');
      return;
    }
    if (knocker.announced) return;
    const message = parseSignalMessage(data, isBinary);
    if (message?.type !== 'ROOM') return;
    const command = parseRoomCommand(message.payload);
    if (command?.command !== 'knock') return;
    // A vouched name wins over the one it knocks with.
    if (!knocker.visitor.verified) knocker.name = command.name;
    knocker.announced = true;
    this.#events.knock(knocker);
  }

  /**
   * Takes a waiting visitor off the door (to let it in or refuse it); undefined if not there.
   * @param {string} roomId
   * @param {string} id
   * @returns {Knocker | undefined}
   */
  take(roomId, id) {
    const room = this.#rooms.get(roomId);
    const knocker = room?.get(id);
    if (!room || !knocker) return undefined;
    room.delete(id);
    if (room.size === 0) this.#rooms.delete(roomId);
    clearTimeout(knocker.timer);
    knocker.socket.off('close', knocker.onClose);
    this.#bySocket.delete(knocker.socket);
    return knocker;
  }

  /**
   * The visitors waiting at a room's door, those who knocked or all.
   * @param {string} roomId
   * @param {{ announcedOnly?: boolean }} [options]
   * @returns {Knocker[]}
   */
  waiting(roomId, { announcedOnly = false } = {}) {
    const all = [...(this.#rooms.get(roomId)?.values() ?? [])];
    return announcedOnly ? all.filter((knocker) => knocker.announced) : all;
  }

  close() {
    for (const room of this.#rooms.values()) {
      for (const knocker of room.values()) clearTimeout(knocker.timer);
    }
    this.#rooms.clear();
  }

  /**
   * @param {Knocker} knocker
   * @param {'expired' | 'gone' | 'flooding'} reason
   */
  #end(knocker, reason) {
    if (!this.take(knocker.visitor.roomId, knocker.visitor.id)) return;
    this.#events.end(knocker, reason);
  }
}
