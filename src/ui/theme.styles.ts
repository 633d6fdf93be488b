import { css } from 'lit';

/**
 * The public `--rtc-room-*` custom properties with their defaults, as private `--_*` names for a
 * `:host` rule. One table for the room and the chat panel, so their colours cannot drift apart.
 * Colours default to the theme's palette (`--_theme-*`, set on the room by `themePalettes`).
 */
export const themeTokens = css`
  --_bg: var(--rtc-room-background, var(--_theme-bg));
  --_fg: var(--rtc-room-foreground, var(--_theme-fg));
  --_accent: var(--rtc-room-accent, #2563eb);
  --_danger: var(--rtc-room-danger, var(--_theme-danger));
  --_tile-bg: var(--rtc-room-tile-background, var(--_theme-tile-bg));
  --_radius: var(--rtc-room-radius, 12px);
  --_gap: var(--rtc-room-gap, 8px);
  font-family: var(--rtc-room-font, system-ui, sans-serif);
  background: var(--_bg);
  color: var(--_fg);
`;

/** Hidden from sight, still read by screen readers. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;

const dark = css`
  --_theme-bg: #111418;
  --_theme-fg: #f1f3f5;
  --_theme-danger: #e5484d;
  --_theme-tile-bg: #22272e;
  color-scheme: dark;
`;

const light = css`
  --_theme-bg: #ffffff;
  --_theme-fg: #1f2328;
  --_theme-danger: #cf222e;
  --_theme-tile-bg: #e8ebef;
  color-scheme: light;
`;

/** The dark and light palettes: the visitor's `prefers-color-scheme`, unless `theme` says. */
export const themePalettes = css`
  :host {
    ${dark}
  }
  @media (prefers-color-scheme: light) {
    :host(:not([theme='dark'])) {
      ${light}
    }
  }
  :host([theme='light']) {
    ${light}
  }
`;
