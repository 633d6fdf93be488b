// What the element renders once joined (tiles, their layout, the controls), loaded as a chunk
// with the call, so the first file holds only the element, the lobby and the prejoin.
export { repeat } from 'lit/directives/repeat.js';
export { renderControls } from './controls.js';
export { renderDevicePickers } from './device-pickers.js';
export { renderIconButton } from './icon-button.js';
export { closeIcon } from './icons.js';
export { renderPrejoinMedia } from './prejoin-media.js';
export { renderTile } from './tile.js';
export { layoutTiles } from './tile-layout.js';
export { roomStyles } from './room.styles.js';
