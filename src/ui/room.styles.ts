import { css } from 'lit';
import { moderationStyles } from './moderation.styles.js';

/**
 * The joined room's styles (and the prejoin's preview and pickers), loaded with the room's view
 * and added to the element's own: the first file carries only the lobby's and prejoin's.
 */
export const roomStyles = css`
  ${moderationStyles}
  .prejoin-media,
  .device-pickers {
    display: flex;
    flex-direction: column;
    align-items: stretch;
    gap: var(--_gap);
  }
  .preview {
    position: relative;
    display: grid;
    place-items: center;
    width: min(100%, 360px);
    aspect-ratio: 16 / 9;
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_tile-bg);
  }
  .preview video {
    position: absolute;
    inset: 0;
    transform: scaleX(-1);
  }
  .preview-error {
    padding: 12px;
    font-size: 0.875rem;
  }
  .level {
    position: absolute;
    left: 8px;
    right: 8px;
    bottom: 8px;
    height: 6px;
    border-radius: 3px;
    background: rgb(0 0 0 / 45%);
    overflow: hidden;
  }
  .level[hidden] {
    display: none;
  }
  .level-bar {
    display: block;
    height: 100%;
    width: calc(var(--level, 0) * 100%);
    background: #4ade80;
    transition: width 80ms linear;
  }
  select {
    min-height: 44px;
    padding: 8px 10px;
    border: 1px solid color-mix(in srgb, var(--_fg) 35%, transparent);
    border-radius: calc(var(--_radius) / 2);
    background: var(--_bg);
    color: inherit;
    font: inherit;
    max-width: 100%;
  }
  /* A checkbox beside its words, not stacked like the element's text fields. */
  .toggle {
    display: flex;
    flex-flow: row wrap;
    align-items: center;
    gap: 8px;
    min-height: 44px;
  }
  .toggle input {
    min-width: 0;
    width: 20px;
    height: 20px;
    margin: 0;
  }
  select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  /* The two popover menus: the device menu and the layout menu. */
  .device-menu,
  .layout-menu,
  .reaction-menu {
    inset: auto;
    margin: 0;
    padding: 12px;
    border: 0;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_tile-bg);
    color: var(--_fg);
    box-shadow: 0 4px 16px rgb(0 0 0 / 40%);
  }
  .notices {
    position: absolute;
    inset: 0 0 auto;
    z-index: 2;
    display: flex;
    flex-direction: column;
    gap: 4px;
    max-height: 100%;
    overflow: auto;
  }
  .notice {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    margin: 0;
    padding: 8px 12px;
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_danger) 35%, var(--_bg));
  }
  .dismiss {
    padding: 0 8px;
    background: transparent;
    font-size: 1.25rem;
    line-height: 1;
  }
  .hint {
    position: absolute;
    inset: auto 0 8px;
    margin: 0;
    text-align: center;
    opacity: 0.75;
  }

  .body {
    position: relative;
    display: flex;
    flex: 1;
    gap: var(--_gap);
    min-height: 0;
  }
  .chat-pane {
    display: flex;
    flex-direction: column;
    flex: 0 0 min(var(--rtc-room-chat-width, 320px), 45%);
    min-height: 0;
    border-radius: var(--_radius);
    background: var(--_tile-bg);
  }
  .chat-pane[hidden] {
    display: none;
  }
  .chat-header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 4px 4px 0 12px;
  }
  .chat-header h2 {
    margin: 0;
    font-size: 1rem;
  }
  .close-chat {
    background: transparent;
  }
  .chat {
    flex: 1;
    min-height: 0;
  }
  /* A narrow room has no room beside the tiles: the chat covers the stage until closed. */
  @container (max-width: 640px) {
    .chat-pane {
      position: absolute;
      inset: 0;
      z-index: 1;
    }
  }
  .chat-toggle {
    position: relative;
  }
  .badge {
    position: absolute;
    top: -4px;
    right: -4px;
    min-width: 20px;
    padding: 1px 5px;
    border-radius: 10px;
    background: color-mix(in srgb, var(--_danger) 80%, #000);
    color: #fff;
    font-size: 0.75rem;
    line-height: 18px;
  }

  /* Tiles are placed by layoutTiles() from the stage's measured size. */
  .stage {
    position: relative;
    flex: 1;
    min-width: 0;
    min-height: 0;
    gap: var(--_gap);
  }

  .tile {
    position: absolute;
    container-type: size;
    margin: 0;
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_tile-bg);
  }
  /* An outline paints over the video; a border or inset shadow would hide under it. */
  /* A screen is read, not looked at: all of it shows, letterboxed. */
  .tile.screen video {
    object-fit: contain;
    background: #000;
  }
  button.sharing {
    background: var(--_accent);
    color: #fff;
  }
  .tile.speaking {
    outline: 3px solid var(--_accent);
    outline-offset: -3px;
  }
  video {
    display: block;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  video[hidden] {
    display: none;
  }
  .local video {
    transform: scaleX(-1);
  }
  .placeholder {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: clamp(24px, 40cqmin, 72px);
    height: clamp(24px, 40cqmin, 72px);
    border-radius: 50%;
    background: var(--_accent);
    color: #fff;
    font-size: 1.75rem;
  }
  .name {
    position: absolute;
    left: 8px;
    bottom: 8px;
    display: flex;
    align-items: center;
    gap: 4px;
    max-width: calc(100% - 16px);
    padding: 2px 8px;
    border-radius: calc(var(--_radius) / 2);
    background: rgb(0 0 0 / 55%);
    color: #fff;
    font-size: 0.875rem;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .quality {
    display: inline-flex;
    color: #4ade80;
  }
  .quality[data-quality='fair'] {
    color: #facc15;
  }
  .quality[data-quality='poor'] {
    color: #f87171;
  }
  .quality[data-quality='fair'] .bar-3,
  .quality[data-quality='poor'] :is(.bar-2, .bar-3) {
    opacity: 0.3;
  }
  .muted-icon svg {
    width: 16px;
    height: 16px;
  }

  .placeholder {
    align-content: center;
    gap: 8px;
  }
  .unreachable-label {
    color: var(--_danger);
    font-size: 0.875rem;
  }
  /* Over a frozen picture: the last frame stays, dimmed, with why. */
  .reconnecting-label {
    position: absolute;
    inset: 0;
    z-index: 1;
    display: grid;
    place-items: center;
    background: rgb(0 0 0 / 55%);
    color: #fff;
    font-size: 0.875rem;
  }
  .tile-actions {
    position: absolute;
    top: 6px;
    right: 6px;
    display: flex;
    gap: 4px;
  }
  .tile-actions button {
    min-height: 32px;
    min-width: 32px;
    padding: 4px;
    background: rgb(0 0 0 / 45%);
    color: #fff;
  }
  .tile-actions button[aria-pressed='true'] {
    background: var(--_accent);
  }
  .tile-actions svg {
    width: 18px;
    height: 18px;
  }
  @media (pointer: coarse) {
    .tile-actions button {
      min-height: 44px;
      min-width: 44px;
    }
  }
  /* With a mouse, pin and full screen show on the tile under it or holding focus. */
  @media (hover: hover) {
    .tile:not(:hover, :focus-within) [data-action='fullscreen-tile'],
    .tile:not(:hover, :focus-within) [data-action='pin'][aria-pressed='false'] {
      opacity: 0;
    }
  }
  /* A thumbnail is too small for buttons: pin it, or widen the room, to reach them. */
  @container (max-width: 200px) {
    .tile-actions {
      display: none;
    }
  }
  .connection-info {
    margin: auto;
    padding: 12px 16px;
    border: 0;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_tile-bg);
    color: var(--_fg);
    font-size: 0.875rem;
  }
  .connection-info strong {
    display: block;
    margin-bottom: 4px;
  }
  .safety-code {
    display: block;
    margin-top: 4px;
  }
  .safety-code b {
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.08em;
  }

  .layout-menu,
  .reaction-menu {
    padding: 6px;
  }
  .reaction-menu:popover-open {
    display: flex;
    gap: 4px;
  }
  .layout-menu:popover-open {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .layout-menu [aria-checked='true'] {
    outline: 2px solid var(--_accent);
  }

  .controls {
    display: flex;
    flex: none;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--_gap);
  }
  .share {
    display: flex;
    flex: none;
    align-items: center;
    gap: var(--_gap);
    font-size: 0.875rem;
  }
  .share-label {
    flex: none;
  }
  .share input {
    flex: 1;
    min-width: 0;
  }
  /* On a phone the field says enough; its accessible name stays. */
  @container (max-width: 480px) {
    .share-label {
      display: none;
    }
  }
`;
