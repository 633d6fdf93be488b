// Plain JavaScript with JSDoc types so that the server and the element share one definition of
// the room's moderation messages, which travel over the signalling socket as `ROOM` frames: a
// command from a visitor to the server, a notice from the server to a visitor. Peers never send
// these to each other: whatever a peer says about the room is not believed.

/** The reactions a visitor may send: a short fixed set, so nobody paints the room with text. */
export const REACTIONS = Object.freeze(['👍', '👏', '😂', '😮', '❤️', '🎉']);

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

/** @param {unknown} value @returns {MemberInfo | null} */
function parseMember(value) {
  if (!isRecord(value)) return null;
  const { id, role, name, verified, guest, handRaised } = value;
  if (!isId(id) || (role !== 'host' && role !== 'guest') || typeof name !== 'string') return null;
  if (typeof verified !== 'boolean' || typeof handRaised !== 'boolean') return null;
  if (!Number.isInteger(guest) || /** @type {number} */ (guest) < 0) return null;
  return {
    id,
    role,
    name: cleanKnockName(name),
    verified,
    guest: /** @type {number} */ (guest),
    handRaised,
  };
}

/** @param {unknown} value @returns {KnockerInfo | null} */
function parseKnocker(value) {
  if (!isRecord(value)) return null;
  const { id, name, verified, guest } = value;
  if (!isId(id) || typeof name !== 'string' || typeof verified !== 'boolean') return null;
  if (!Number.isInteger(guest) || /** @type {number} */ (guest) < 0) return null;
  return { id, name: cleanKnockName(name), verified, guest: /** @type {number} */ (guest) };
}

/**
 * @template T
 * @param {unknown} value
 * @param {(item: unknown) => T | null} parse
 * @returns {T[] | null}
 */
function parseList(value, parse) {
  if (!Array.isArray(value)) return null;
  const items = value.map(parse);
  return items.every((item) => item !== null) ? /** @type {T[]} */ (items) : null;
}

/**
 * Reads a `ROOM` frame from the server; null for anything that is not a notice.
 * @param {unknown} frame the whole frame, `{ type: 'ROOM', payload }`
 * @returns {RoomNotice | null}
 */
export function parseRoomNotice(frame) {
  if (!isRecord(frame) || frame.type !== 'ROOM' || !isRecord(frame.payload)) return null;
  const payload = frame.payload;
  switch (payload.event) {
    case 'welcome': {
      const self = parseMember(payload.self);
      const members = parseList(payload.members, parseMember);
      const knocking = parseList(payload.knocking, parseKnocker);
      if (!self || !members || !knocking || typeof payload.locked !== 'boolean') return null;
      return { event: 'welcome', self, members, locked: payload.locked, knocking };
    }
    case 'member': {
      const member = parseMember(payload.member);
      return member ? { event: 'member', member } : null;
    }
    case 'waiting':
      return { event: 'waiting' };
    case 'lock':
      return typeof payload.locked === 'boolean' ? { event: 'lock', locked: payload.locked } : null;
    case 'knock': {
      const knocker = parseKnocker(payload.knocker);
      return knocker ? { event: 'knock', knocker } : null;
    }
    case 'knock-end':
    case 'removed':
      return isId(payload.id) ? { event: payload.event, id: payload.id } : null;
    case 'muted':
      return isId(payload.by) ? { event: 'muted', by: payload.by } : null;
    case 'hand': {
      const { id, raised, by } = payload;
      return isId(id) && typeof raised === 'boolean' && isId(by)
        ? { event: 'hand', id, raised, by }
        : null;
    }
    case 'reaction': {
      const { id, emoji } = payload;
      return isId(id) && typeof emoji === 'string' && REACTIONS.includes(emoji)
        ? { event: 'reaction', id, emoji }
        : null;
    }
    case 'sfu': {
      const ticket = isRecord(payload.ticket) ? payload.ticket : {};
      const { url, room, token, roomToken } = ticket;
      const isText = (/** @type {unknown} */ value) =>
        typeof value === 'string' && value.length > 0 && value.length <= 512;
      if (!isText(url) || !/^wss?:\/\//.test(/** @type {string} */ (url))) return null;
      if (!isText(room) || !isText(token) || !isText(roomToken)) return null;
      return {
        event: 'sfu',
        ticket: {
          url: /** @type {string} */ (url),
          room: /** @type {string} */ (room),
          token: /** @type {string} */ (token),
          roomToken: /** @type {string} */ (roomToken),
        },
      };
    }
    case 'sfu-lost':
      return { event: 'sfu-lost' };
    case 'refused': {
      const { command, reason } = payload;
      if (typeof command !== 'string') return null;
      if (reason !== 'not-host' && reason !== 'rate-limited' && reason !== 'unknown-peer') {
        return null;
      }
      return { event: 'refused', command, reason };
    }
    default:
      return null;
  }
}
