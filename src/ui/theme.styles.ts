import { css } from 'lit';

/**
 * The public `--rtc-room-*` custom properties with their defaults, as private `--_*` names for a
 * `:host` rule. One table for the room and the chat panel, so their colours cannot drift apart.
 */
export const themeTokens = css`
  --_bg: var(--rtc-room-background, #111418);
  --_fg: var(--rtc-room-foreground, #f1f3f5);
  --_accent: var(--rtc-room-accent, #2563eb);
  --_danger: var(--rtc-room-danger, #e5484d);
  --_tile-bg: var(--rtc-room-tile-background, #22272e);
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
