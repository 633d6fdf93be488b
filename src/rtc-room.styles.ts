import { css } from 'lit';
import { themePalettes, themeTokens, visuallyHidden } from './ui/theme.styles.js';

export const styles = [
  themePalettes,
  visuallyHidden,
  css`
    /* The room fills the box the host page gives it and never grows it: without a height of
     the page's own it is as tall as fits the screen, up to 600px. */
    :host {
      ${themeTokens}
      display: flex;
      flex-direction: column;
      gap: var(--_gap);
      container-type: inline-size;
      box-sizing: border-box;
      height: min(600px, 100dvh);
      min-height: 0;
      overflow: hidden;
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
      min-height: 0;
      overflow: auto;
      padding: 24px;
      text-align: center;
    }
    /* Once the call has loaded: the preview beside the devices and the name, stacked on a phone. */
    .prejoin:has(.preview) {
      display: grid;
      grid-template-columns: minmax(0, 360px) minmax(0, 300px);
      grid-template-areas: 'preview media' 'preview settings';
      justify-content: center;
      align-content: center;
      align-items: start;
    }
    @container (max-width: 640px) {
      .prejoin:has(.preview) {
        grid-template-columns: minmax(0, 360px);
        grid-template-areas: 'preview' 'media' 'settings';
      }
    }
    .prejoin-settings {
      grid-area: settings;
      display: flex;
      flex-direction: column;
      align-items: stretch;
      gap: var(--_gap);
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
      min-width: min(16em, 100%);
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
      /* 44px: a fingertip's target on a touch screen. */
      min-height: 44px;
      min-width: 44px;
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
  `,
];
