/** Why sending a chat message, picture or file, or downloading a file, was refused. */
export type ChatErrorCode =
  | 'chat-empty'
  | 'chat-too-long'
  | 'chat-rate-limited'
  | 'image-too-large'
  | 'image-unsupported'
  | 'file-too-large'
  | 'file-unavailable'
  | 'chat-closed';

/** Every error the room reports, with a stable code a host page can switch on. */
export type RoomErrorCode =
  | ChatErrorCode
  | 'permission-denied'
  | 'no-device'
  | 'media-failed'
  | 'room-full'
  | 'server-unreachable'
  | 'unauthorized'
  | 'bad-room-id'
  | 'bad-ice-servers'
  | 'bad-server'
  | 'peer-unreachable'
  | 'ice-failed'
  | 'signalling-lost'
  // Not a failure: the end of a `signalling-lost`, reported on the same channel.
  | 'signalling-restored'
  // The media server of a large room went away: the room stays, media comes back with it.
  | 'sfu-lost'
  | 'unsupported-browser'
  // Sharing the screen was refused (by the visitor or the browser), or cannot be done here.
  | 'screen-share-denied'
  | 'screen-share-unsupported'
  // The background effect could not load or run (or its picture not load): the camera goes as it is.
  | 'background-failed'
  // A host removed this visitor, or turned its knock at a locked room's door away.
  | 'removed'
  | 'denied'
  // A host's method called by a guest.
  | 'not-host'
  | 'internal';

/** An error as a value: a stable `code`, a human message, and what caused it. */
export class RoomError extends Error {
  override readonly name = 'RoomError';

  constructor(
    readonly code: RoomErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The join token was refused because it expired: still `unauthorized` to the page, and the
 * element asks for a fresh token (`rtc-token-expired`) instead of giving up.
 */
export class TokenExpiredError extends RoomError {
  constructor(message = 'The join token has expired', options?: { cause?: unknown }) {
    super('unauthorized', message, options);
  }
}

/** Turns anything thrown into a RoomError, keeping one that already is. */
export function toRoomError(error: unknown, fallback: RoomErrorCode = 'internal'): RoomError {
  if (error instanceof RoomError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RoomError(fallback, message, { cause: error });
}
