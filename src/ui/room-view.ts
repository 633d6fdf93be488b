// What the element renders once the call has loaded (the prejoin's devices, the joined room),
// loaded as a chunk with the call, so the first file holds only the element, the lobby and the
// prejoin.
export { renderPrejoinDevices } from './device-views.js';
export { renderJoinedRoom } from './joined-room.js';
export { roomStyles } from './room.styles.js';
