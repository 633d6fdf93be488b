import { RoomError } from '../errors.js';

/** Maps a getUserMedia / getDisplayMedia failure to a RoomError a visitor can act on. */
export function toMediaError(
  error: unknown,
  device: 'camera' | 'microphone' | 'camera and microphone',
): RoomError {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new RoomError('permission-denied', `Permission to use the ${device} was denied`, {
        cause: error,
      });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new RoomError('no-device', `No ${device} was found`, { cause: error });
    case 'NotReadableError':
    case 'AbortError':
      return new RoomError('media-failed', `The ${device} is in use or could not be started`, {
        cause: error,
      });
    default:
      return new RoomError('media-failed', `Could not start the ${device}`, { cause: error });
  }
}
