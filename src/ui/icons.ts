import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';

/**
 * A Material-style glyph on a 24-unit grid, drawn with currentColor so ::part(button) colours it.
 * The <svg> element is HTML content; only its inside is an `svg` template.
 */
export const glyph = (path: SVGTemplateResult, size = 24): TemplateResult =>
  html`<svg
    viewBox="0 0 24 24"
    width=${size}
    height=${size}
    aria-hidden="true"
    focusable="false"
    fill="currentColor"
  >
    ${path}
  </svg>`;

export const micIcon = glyph(
  svg`<path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2z"/>`,
);
export const micOffIcon = glyph(
  svg`<path d="M19 11h-2a5 5 0 0 1-.64 2.44l1.46 1.46A6.95 6.95 0 0 0 19 11zM15 11V5a3 3 0 0 0-5.94-.6L15 10.34V11zM4.27 3 3 4.27l6 6V11a3 3 0 0 0 4.47 2.61l1.5 1.5A5 5 0 0 1 7 11H5a7 7 0 0 0 6 6.92V21h2v-3.08a6.9 6.9 0 0 0 3.06-1.13L19.73 21 21 19.73 4.27 3z"/>`,
);
export const cameraIcon = glyph(
  svg`<path d="M17 10.5V7a1 1 0 0 0-1-1H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-3.5l4 4v-11l-4 4z"/>`,
);
export const cameraOffIcon = glyph(
  svg`<path d="M21 6.5l-4 4V7a1 1 0 0 0-1-1H9.82L21 17.18V6.5zM3.27 2 2 3.27 4.73 6H4a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h12c.21 0 .39-.08.54-.18L19.73 21 21 19.73 3.27 2z"/>`,
);
export const leaveIcon = glyph(
  svg`<path d="M12 9c-1.6 0-3.15.25-4.6.72v3.1c0 .39-.23.74-.56.9-.98.49-1.87 1.12-2.66 1.85a1 1 0 0 1-1.41-.01L.29 13.08a1 1 0 0 1 0-1.41C3.34 8.78 7.46 7 12 7s8.66 1.78 11.71 4.67a1 1 0 0 1 0 1.41l-2.48 2.48a1 1 0 0 1-1.41.01 11.3 11.3 0 0 0-2.67-1.85 1 1 0 0 1-.56-.9v-3.1A15 15 0 0 0 12 9z"/>`,
);
export const chatIcon = glyph(
  svg`<path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2zm2 5v2h12V9H6zm0 4v2h8v-2H6z"/>`,
);
export const infoIcon = glyph(
  svg`<path d="M11 7h2v2h-2zm0 4h2v6h-2zm1-9a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16z"/>`,
);
export const layoutIcon = glyph(svg`<path d="M3 3h8v8H3zm10 0h8v8h-8zM3 13h8v8H3zm10 0h8v8h-8z"/>`);
export const closeIcon = glyph(
  svg`<path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"/>`,
);
export const pinIcon = glyph(
  svg`<path d="M16 9V4h1V2H7v2h1v5l-2 2v2h5.2v7h1.6v-7H18v-2l-2-2z"/>`,
  20,
);
export const fullscreenIcon = glyph(
  svg`<path d="M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z"/>`,
  20,
);
export const exitFullscreenIcon = glyph(
  svg`<path d="M5 16h3v3h2v-5H5v2zm3-8H5v2h5V5H8v3zm6 11h2v-3h3v-2h-5v5zm2-11V5h-2v5h5V8h-3z"/>`,
  20,
);
export const signalIcon = glyph(
  svg`<rect class="bar-1" x="3" y="15" width="4" height="6" rx="1"/><rect class="bar-2" x="10" y="10" width="4" height="11" rx="1"/><rect class="bar-3" x="17" y="4" width="4" height="17" rx="1"/>`,
  16,
);
export const settingsIcon = glyph(
  svg`<path d="M19.4 13a7.6 7.6 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.4 7.4 0 0 0-1.7-1L15 3h-4l-.4 2.9a7.4 7.4 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.6 7.6 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.4 7.4 0 0 0 1.7 1L11 21h4l.4-2.9a7.4 7.4 0 0 0 1.7-1l2.5 1 2-3.5L19.4 13zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z"/>`,
);
export const screenShareIcon = glyph(
  svg`<path d="M20 18a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2H0v2h24v-2h-4zM4 6h16v10H4V6zm9 7.5V11c-2.8 0-4.6.9-6 3 .6-3 2.3-6 6-6.5V5l4 4.2-4 4.3z"/>`,
);
