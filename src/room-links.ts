import { isRoomId } from './room/room-id.js';
import { remember, remembered } from './visitor-store.js';

// Links to a room: the invite link (the page's address with the room ID), the host link (with the
// host key in its fragment), and the host keys of rooms this browser created or was given host
// rights to, kept in the page's storage per room: never in an invite link, so sharing the room
// never shares the right to run it.
/** The fragment parameter a host link carries the key in (a fragment never reaches a server). */
export const HOST_FRAGMENT_PARAMETER = 'host';

/** The host key kept for a room, or null (storage can be refused: the visitor is a guest then). */
export function hostKeyFor(roomId: string): string | null {
  return remembered(`host:${roomId}`) || null;
}

/** Keeps a room's host key for the visits to come (else this browser joins as a guest). */
export function rememberHostKey(roomId: string, hostKey: string): void {
  remember(`host:${roomId}`, hostKey);
}

/** The link that makes whoever opens it a host: the invite link, the key in its fragment. */
export function hostLink(inviteLink: string, hostKey: string): string {
  return `${inviteLink}#${HOST_FRAGMENT_PARAMETER}=${encodeURIComponent(hostKey)}`;
}

/** This page's address as an invite link to `roomId`, carried in `queryParameter`. */
export function inviteLink(roomId: string, queryParameter: string): string {
  const url = new URL(location.href);
  url.searchParams.set(queryParameter, roomId);
  url.hash = '';
  return url.href;
}

/**
 * The room to join: `roomId` when the page set one, else the one the page's address names (an
 * invite link was opened). A host key in the address (a host link) is kept for that room.
 */
export function readAddress(roomId: string, queryParameter: string): string {
  const fromLink = new URLSearchParams(location.search).get(queryParameter);
  const room = roomId || (isRoomId(fromLink) ? fromLink : '');
  if (room) takeHostKeyFromAddress(room);
  return room;
}

/**
 * Takes a host key from the page's address (a host link was opened): kept for `roomId`, and
 * taken out of the address bar, so that copying the address later copies no key.
 */
function takeHostKeyFromAddress(roomId: string): void {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const hostKey = fragment.get(HOST_FRAGMENT_PARAMETER);
  if (!hostKey) return;
  rememberHostKey(roomId, hostKey);
  fragment.delete(HOST_FRAGMENT_PARAMETER);
  const url = new URL(location.href);
  url.hash = fragment.toString();
  history.replaceState(history.state, '', url.href);
}
