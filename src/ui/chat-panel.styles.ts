import { css } from 'lit';
import { themeTokens, visuallyHidden } from './theme.styles.js';

export const styles = [
  visuallyHidden,
  css`
    :host {
      ${themeTokens}
      --_own-bg: var(
      --rtc-room-chat-own-background,
      color-mix(in srgb, var(--_accent) 30%, transparent)
    );
      --_thumb: var(--rtc-room-chat-thumbnail-size, 200px);
      display: flex;
      flex-direction: column;
      min-height: 0;
    }
    :host([hidden]) {
      display: none;
    }
    *,
    *::before,
    *::after {
      box-sizing: border-box;
    }
    .panel {
      position: relative;
      display: flex;
      flex-direction: column;
      gap: var(--_gap);
      flex: 1;
      min-height: 0;
    }
    .log {
      flex: 1;
      min-height: 8em;
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      gap: var(--_gap);
      padding: var(--_gap);
    }
    .log:focus-visible,
    button:focus-visible,
    [role='option']:focus-visible {
      outline: 2px solid var(--_accent);
      outline-offset: 2px;
    }
    .empty {
      margin: auto;
      opacity: 0.7;
    }
    .message {
      max-width: 85%;
      align-self: flex-start;
      padding: 6px 10px;
      border-radius: var(--_radius);
      background: color-mix(in srgb, var(--_fg) 10%, transparent);
    }
    .message.own {
      align-self: flex-end;
      background: var(--_own-bg);
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 6px;
      align-items: baseline;
      font-size: 0.75rem;
      opacity: 0.8;
    }
    .sender {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .text {
      margin: 2px 0 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .text a {
      color: inherit;
      text-decoration: underline;
    }
    .thumb {
      display: block;
      margin-top: 4px;
      padding: 0;
      border: 0;
      border-radius: calc(var(--_radius) / 2);
      background: none;
      cursor: zoom-in;
    }
    .thumb img {
      display: block;
      max-width: min(100%, var(--_thumb));
      max-height: var(--_thumb);
      border-radius: inherit;
    }
    .thumb.pending {
      width: calc(var(--_thumb) / 2);
      height: calc(var(--_thumb) / 3);
      background: color-mix(in srgb, var(--_fg) 15%, transparent);
    }
    progress {
      display: block;
      width: 100%;
      margin-top: 4px;
    }
    .file {
      display: flex;
      flex-direction: column;
      gap: 2px;
      margin-top: 4px;
      padding: 6px 8px;
      border-radius: calc(var(--_radius) / 2);
      background: color-mix(in srgb, var(--_fg) 8%, transparent);
    }
    .file-name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .file-meta {
      font-size: 0.8125rem;
      opacity: 0.75;
      overflow-wrap: anywhere;
    }
    .file-action {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 8px;
      align-items: center;
    }
    .file-action progress {
      flex: 1 1 100px;
      margin: 0;
    }
    .file-action a {
      color: inherit;
    }
    .picture-status,
    .file-status,
    .refusal {
      margin: 2px 0 0;
      font-size: 0.875rem;
    }
    .refusal {
      color: var(--_danger);
      margin: 0;
    }
    .refusal:empty {
      display: none;
    }
    .composer {
      display: flex;
      gap: 4px;
      align-items: flex-end;
    }
    textarea {
      flex: 1;
      min-width: 0;
      resize: none;
      padding: 8px 10px;
      border: 1px solid color-mix(in srgb, var(--_fg) 35%, transparent);
      border-radius: calc(var(--_radius) / 2);
      background: color-mix(in srgb, var(--_fg) 8%, transparent);
      color: inherit;
      font: inherit;
    }
    button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      min-width: 40px;
      min-height: 40px;
      border: 0;
      border-radius: calc(var(--_radius) / 2);
      background: color-mix(in srgb, var(--_fg) 12%, transparent);
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    button.send {
      background: var(--_accent);
      color: #fff;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    .emoji-picker {
      display: grid;
      grid-template-columns: repeat(var(--columns, 8), 2.25em);
      gap: 2px;
      align-self: flex-end;
      padding: 6px;
      border-radius: var(--_radius);
      background: var(--_bg);
      box-shadow: 0 4px 16px rgb(0 0 0 / 40%);
    }
    [role='option'] {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      height: 2.25em;
      font-size: 1.25rem;
      border-radius: 6px;
      cursor: pointer;
    }
    [role='option'][aria-selected='true'] {
      background: color-mix(in srgb, var(--_accent) 35%, transparent);
    }
    dialog {
      max-width: 95vw;
      max-height: 95vh;
      padding: var(--_gap);
      border: 0;
      border-radius: var(--_radius);
      background: var(--_bg);
      color: var(--_fg);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 70%);
    }
    dialog img {
      display: block;
      max-width: 90vw;
      max-height: 80vh;
      margin-bottom: var(--_gap);
    }
  `,
];
