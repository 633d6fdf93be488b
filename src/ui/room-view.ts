// What the element renders once joined (the stage, the chat pane, the controls) and the prejoin's
// media, loaded as a chunk with the call, so the first file holds only the element, the lobby
// and the prejoin.
export { renderJoinedRoom } from './joined-room.js';
export { renderPrejoinMedia } from './prejoin-media.js';
export { roomStyles } from './room.styles.js';
