// The call: what a visitor needs once they join, loaded as a chunk beside rtc-room.js (on prejoin
// or join) so a page that only shows the lobby or the prejoin never downloads it.
export { LocalMedia } from '../media/local-media.js';
export { RoomSession } from './room-session.js';
export { ServerApi } from './server-api.js';
