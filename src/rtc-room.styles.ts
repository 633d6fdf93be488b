import { css } from 'lit';
import { themeTokens } from './ui/theme.styles.js';

export const styles = css`
  :host {
    ${themeTokens}
    --_min-tile: var(--rtc-room-min-tile-width, 240px);
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    container-type: inline-size;
    box-sizing: border-box;
    min-height: 240px;
    padding: var(--_gap);
    border-radius: var(--_radius);
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .panel,
  .status {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: calc(var(--_gap) * 1.5);
    flex: 1;
    padding: 24px;
    text-align: center;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    justify-content: center;
    gap: var(--_gap);
  }
  label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    text-align: start;
    font-size: 0.875rem;
  }
  input {
    min-width: 16em;
    padding: 8px 10px;
    border: 1px solid color-mix(in srgb, var(--_fg) 35%, transparent);
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_fg) 8%, transparent);
    color: inherit;
    font: inherit;
  }
  input[aria-invalid='true'] {
    border-color: var(--_danger);
  }
  .field-error,
  .error p {
    color: var(--_danger);
    min-height: 1.2em;
    margin: 0;
  }
  code {
    font-size: 0.85em;
    word-break: break-all;
  }

  button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 40px;
    min-width: 40px;
    padding: 8px 14px;
    border: 0;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_fg) 16%, transparent);
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  button:hover {
    background: color-mix(in srgb, var(--_fg) 24%, transparent);
  }
  button:focus-visible,
  input:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  button.primary {
    background: var(--_accent);
    color: #fff;
  }
  button.danger,
  button[aria-pressed='true'] {
    /* Darkened so white text keeps a 4.5:1 contrast; --_danger stays bright for text on dark. */
    background: color-mix(in srgb, var(--_danger) 80%, #000);
    color: #fff;
  }

  .notice {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    margin: 0;
    padding: 8px 12px;
    border-radius: calc(var(--_radius) / 2);
    background: color-mix(in srgb, var(--_danger) 25%, transparent);
  }
  .dismiss {
    min-height: 28px;
    min-width: 28px;
    padding: 0 8px;
    background: transparent;
    font-size: 1.25rem;
    line-height: 1;
  }
  .hint {
    margin: 0;
    text-align: center;
    opacity: 0.75;
  }

  .body {
    display: flex;
    flex: 1;
    gap: var(--_gap);
    min-height: 0;
  }
  .chat {
    flex: 0 0 var(--rtc-room-chat-width, 320px);
    max-width: 100%;
    min-height: 320px;
  }
  @container (max-width: 640px) {
    .body {
      flex-direction: column;
    }
    .chat {
      flex-basis: auto;
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

  .stage {
    display: grid;
    flex: 1;
    gap: var(--_gap);
    grid-template-columns: repeat(auto-fit, minmax(min(var(--_min-tile), 100%), 1fr));
    align-content: center;
  }
  :host([layout='speaker']) .stage {
    grid-template-columns: repeat(4, 1fr);
  }
  :host([layout='speaker']) .tile:nth-child(2),
  :host([layout='speaker']) .tile:only-child {
    grid-column: 1 / -1;
    order: -1;
  }
  :host([layout='sidebar']) .stage {
    grid-template-columns: 3fr 1fr;
    grid-auto-flow: dense;
  }
  :host([layout='sidebar']) .tile:nth-child(2) {
    grid-row: span 3;
  }

  .tile {
    position: relative;
    margin: 0;
    overflow: hidden;
    aspect-ratio: 16 / 9;
    border-radius: var(--_radius);
    background: var(--_tile-bg);
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
    width: 72px;
    height: 72px;
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
  .info-button {
    position: absolute;
    top: 6px;
    right: 6px;
    min-height: 32px;
    min-width: 32px;
    padding: 4px;
    background: rgb(0 0 0 / 45%);
    color: #fff;
  }
  .info-button svg {
    width: 18px;
    height: 18px;
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

  .controls {
    display: flex;
    justify-content: center;
    gap: var(--_gap);
  }
  .share {
    display: flex;
    flex-wrap: wrap;
    align-items: end;
    justify-content: center;
    gap: var(--_gap);
    font-size: 0.875rem;
  }
  .share input {
    min-width: min(28em, 70vw);
  }
`;
