#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMarkdownTable } from './options.js';

// Keeps the flag table of the operator guide (docs/server.md) in step with the option table:
// `npm run docs:options` rewrites what stands between the two marker lines.

export const GUIDE = fileURLToPath(new URL('../docs/server.md', import.meta.url));
const START = '<!-- options:start -->';
const END = '<!-- options:end -->';

/**
 * Splits `markdown` around its marker lines; null when they are missing or out of order.
 * @param {string} markdown
 */
export function splitAtMarkers(markdown) {
  const lines = markdown.split('\n');
  const start = lines.indexOf(START);
  const end = lines.indexOf(END);
  if (start === -1 || end < start) return null;
  return {
    before: lines.slice(0, start + 1).join('\n'),
    table: lines.slice(start + 1, end).join('\n'),
    after: lines.slice(end).join('\n'),
  };
}

/** What stands between the markers: the table, set apart by blank lines as Markdown wants. */
export const optionsSection = () => `\n${renderMarkdownTable()}\n`;

/**
 * `markdown` with the generated table between its markers.
 * @param {string} markdown
 */
export function withOptionsTable(markdown) {
  const parts = splitAtMarkers(markdown);
  if (!parts) throw new Error(`no "${START}" line followed by an "${END}" line`);
  return `${parts.before}\n${optionsSection()}\n${parts.after}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(GUIDE, withOptionsTable(readFileSync(GUIDE, 'utf8')));
  process.stdout.write(`wrote the option table into ${GUIDE}\n`);
}
