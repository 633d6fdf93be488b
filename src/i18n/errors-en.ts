// The English texts of what went wrong: errors, refused pictures, a microphone a host turned off.
// A chunk of their own, loaded before the first one shows (most visits show none). Other
// languages carry theirs in their own table.
import type { ChatErrorCode, RoomErrorCode } from '../errors.js';
import type { Strings } from './strings.js';

/** A host turned this visitor's microphone off. */
export const mutedBy: Strings['mutedBy'] = (name) =>
  `${name || 'A host'} turned your microphone off; you can turn it on again.`;

/** Why a picture dropped or pasted into the chat was not sent. */
export const chatRefusals: Pick<
  Strings['chat'],
  'refusedTooLarge' | 'refusedNotImage' | 'refusedUnavailable'
> = {
  refusedTooLarge: (maxBytes) =>
    `That picture is too large: at most ${(maxBytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 1 })} MB.`,
  refusedNotImage: 'Only PNG, JPEG, GIF and WebP pictures can be sent.',
  refusedUnavailable: 'Pictures cannot be sent right now; try again in a moment.',
};

/** Why sending a chat message, picture or file, or downloading a file, was refused. */
export const chatErrors: Record<ChatErrorCode, string> = {
  'chat-empty': 'Write something first.',
  'chat-too-long': 'That message is too long (at most 4000 characters).',
  'chat-rate-limited': 'Too many messages at once; wait a moment.',
  'image-too-large': 'That picture is too large.',
  'image-unsupported': 'Only PNG, JPEG, GIF and WebP pictures can be sent.',
  'file-too-large': 'That file is too large.',
  'file-unavailable': 'That file is not available.',
  'chat-closed': 'The chat is closed: you are not in the room.',
};

/** Every other error the room reports. */
export const errors: Record<Exclude<RoomErrorCode, ChatErrorCode>, string> = {
  'permission-denied':
    'Camera or microphone access was refused. You can still listen and chat; allow access in the browser and join again to be seen and heard.',
  'no-device': 'No camera or microphone was found. You can still listen and chat.',
  'media-failed': 'The camera or microphone could not be started (is another app using it?).',
  'room-full': 'This room is full.',
  'server-unreachable': 'The room server cannot be reached. Check the connection and try again.',
  unauthorized: 'You are not allowed into this room.',
  'bad-room-id': 'That is not a valid room ID.',
  'bad-ice-servers': 'The ice-servers setting is invalid; using the server’s instead.',
  'bad-server': 'The server setting is not a valid rtc-room server address.',
  'peer-unreachable': 'Could not connect to one of the participants.',
  'ice-failed':
    'Could not reach a participant through any network path (the TURN server may have refused the credentials).',
  'signalling-lost': 'Lost the connection to the room server.',
  'signalling-restored': 'Connected to the room server again.',
  'sfu-lost': 'Lost the connection to the media server.',
  'unsupported-browser': 'This browser cannot make video calls here (it needs HTTPS and WebRTC).',
  'screen-share-denied': 'The screen was not shared (the request was refused or cancelled).',
  'screen-share-unsupported': 'This browser cannot share a screen here.',
  'background-failed': 'The background could not be applied: the camera was turned off.',
  removed: 'You were removed from this room.',
  denied: 'A host did not let you into this room.',
  'not-host': 'Only a host can do that.',
  internal: 'Something went wrong.',
};
