// Plain JavaScript with JSDoc types so that the server and the element share one definition of
// the room's moderation messages, which travel over the signalling socket as `ROOM` frames: a
// command from a visitor to the server, a notice from the server to a visitor. Peers never send
// these to each other: whatever a peer says about the room is not believed.

import { REACTIONS } from './reactions.js';

export { REACTIONS };

/** Longest name a knocker may give, in code points (as a hello's). */
export const MAX_KNOCK_NAME_LENGTH = 64;

/** Commands only a host may give. */
export const HOST_COMMANDS = Object.freeze([
  'lock',
  'unlock',
  'admit',
  'deny',
  'remove',
  'mute',
  'lower-hand',
]);

/**
 * A command from a visitor to the server.
 * @typedef {{ command: 'lock' | 'unlock' }
 *   | { command: 'admit' | 'deny' | 'remove' | 'mute' | 'lower-hand', id: string }
 *   | { command: 'hand', raised: boolean }
 *   | { command: 'react', emoji: string }
 *   | { command: 'knock', name: string }} RoomCommand
 */

/**
 * What the server knows of a visitor of the room: its role, the name a join token vouches for
 * (`verified`, else empty), the number of its default name ("Guest 2"), its hand.
 * @typedef {object} MemberInfo
 * @property {string} id
 * @property {'host' | 'guest'} role
 * @property {string} name the vouched name, or empty
 * @property {boolean} verified the name came from a join token the server checked
 * @property {number} guest the number of its default name, distinct in the room
 * @property {boolean} handRaised
 */

/**
 * Someone waiting at the door of a locked room.
 * @typedef {{ id: string, name: string, verified: boolean, guest: number }} KnockerInfo
 */

/**
 * Where a visitor publishes and subscribes once its room has moved to Janus: the instance's URL,
 * the VideoRoom room, a Janus token for the plugin (renewed before it expires) and the visitor's
 * own token in the room's allowed list.
 * @typedef {{ url: string, room: string, token: string, roomToken: string }} SfuTicket
 */

/**
 * A notice from the server to a visitor.
 * @typedef {{ event: 'welcome', self: MemberInfo, members: MemberInfo[], locked: boolean, knocking: KnockerInfo[] }
 *   | { event: 'member', member: MemberInfo }
 *   | { event: 'waiting' }
 *   | { event: 'lock', locked: boolean }
 *   | { event: 'knock', knocker: KnockerInfo }
 *   | { event: 'knock-end', id: string }
 *   | { event: 'removed', id: string }
 *   | { event: 'muted', by: string }
 *   | { event: 'hand', id: string, raised: boolean, by: string }
 *   | { event: 'reaction', id: string, emoji: string }
 *   | { event: 'sfu', ticket: SfuTicket }
 *   | { event: 'sfu-lost' }
 *   | { event: 'refused', command: string, reason: 'not-host' | 'rate-limited' | 'unknown-peer' }} RoomNotice
 */

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** @param {unknown} value @returns {value is string} */
const isId = (value) => typeof value === 'string' && value.length > 0 && value.length <= 128;

/**
 * Removes control and format characters, trims and caps a name (code points, so an emoji is
 * never cut in half), as the element cleans a hello's.
 * @param {string} value
 * @returns {string}
 */
export function cleanKnockName(value) {
  return [...value.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()].slice(0, MAX_KNOCK_NAME_LENGTH).join('');
}

/**
 * Reads the payload of a visitor's `ROOM` frame; null for anything that is not a command.
 * @param {unknown} payload
 * @returns {RoomCommand | null}
 */
export function parseRoomCommand(payload) {
  if (!isRecord(payload)) return null;
  const { command } = payload;
  switch (command) {
    case 'lock':
    case 'unlock':
      return { command };
    case 'admit':
    case 'deny':
    case 'remove':
    case 'mute':
    case 'lower-hand':
      return isId(payload.id) ? { command, id: payload.id } : null;
    case 'hand':
      return typeof payload.raised === 'boolean' ? { command, raised: payload.raised } : null;
    case 'react':
      return typeof payload.emoji === 'string' && REACTIONS.includes(payload.emoji)
        ? { command, emoji: payload.emoji }
        : null;
    case 'knock':
      return typeof payload.name === 'string' && payload.name.length <= 1024
        ? { command, name: cleanKnockName(payload.name) }
        : null;
    default:
      return null;
  }
}

/**
 * Reads one field of a notice: its clean value, or undefined when it is not what it must be.
 * @typedef {(value: unknown) => unknown} FieldReader
 */

/** @type {FieldReader} */
const id = (value) => (isId(value) ? value : undefined);
/** @type {FieldReader} */
const bool = (value) => (typeof value === 'boolean' ? value : undefined);
/** @type {FieldReader} */
const text = (value) => (typeof value === 'string' ? value : undefined);
/** @type {FieldReader} */
const name = (value) => (typeof value === 'string' ? cleanKnockName(value) : undefined);
/** @type {FieldReader} */
const count = (value) => (Number.isInteger(value) && Number(value) >= 0 ? value : undefined);
/** @param {readonly unknown[]} values @returns {FieldReader} */
const oneOf = (values) => (value) => (values.includes(value) ? value : undefined);

/**
 * An object with exactly these fields, each read by its reader (anything else is dropped).
 * @param {Record<string, FieldReader>} fields
 * @returns {FieldReader}
 */
const shape = (fields) => (value) => {
  if (!isRecord(value)) return undefined;
  /** @type {Record<string, unknown>} */
  const read = {};
  for (const [key, reader] of Object.entries(fields)) {
    read[key] = reader(value[key]);
    if (read[key] === undefined) return undefined;
  }
  return read;
};

/** @param {FieldReader} reader @returns {FieldReader} */
const list = (reader) => (value) => {
  if (!Array.isArray(value)) return undefined;
  const items = value.map(reader);
  return items.includes(undefined) ? undefined : items;
};

/** @type {FieldReader} */
const short = (value) =>
  typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined;
/** @type {FieldReader} */
const socketUrl = (value) => (/^wss?:\/\//.test(String(short(value))) ? value : undefined);

const KNOCKER = { id, name, verified: bool, guest: count };
const member = shape({ ...KNOCKER, role: oneOf(['host', 'guest']), handRaised: bool });
const knocker = shape(KNOCKER);

/** The fields of each notice, by its `event`. */
const NOTICES = /** @type {Record<string, Record<string, FieldReader>>} */ ({
  welcome: { self: member, members: list(member), locked: bool, knocking: list(knocker) },
  member: { member },
  waiting: {},
  lock: { locked: bool },
  knock: { knocker },
  'knock-end': { id },
  removed: { id },
  muted: { by: id },
  hand: { id, raised: bool, by: id },
  reaction: { id, emoji: oneOf(REACTIONS) },
  refused: { command: text, reason: oneOf(['not-host', 'rate-limited', 'unknown-peer']) },
  sfu: { ticket: shape({ url: socketUrl, room: short, token: short, roomToken: short }) },
  'sfu-lost': {},
});

/**
 * Reads a `ROOM` frame from the server; null for anything that is not a notice.
 * @param {unknown} frame the whole frame, `{ type: 'ROOM', payload }`
 * @returns {RoomNotice | null}
 */
export function parseRoomNotice(frame) {
  if (!isRecord(frame) || frame.type !== 'ROOM' || !isRecord(frame.payload)) return null;
  const { event } = frame.payload;
  const fields = typeof event === 'string' && Object.hasOwn(NOTICES, event) ? NOTICES[event] : null;
  const notice = fields && shape(fields)(frame.payload);
  return notice ? /** @type {RoomNotice} */ ({ event, ...notice }) : null;
}
