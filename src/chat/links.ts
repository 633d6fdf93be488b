/** A run of chat text: plain text, or an http(s) link with the address to open. */
export type TextSegment =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// ASCII URL characters only, so a link followed by Chinese text or punctuation (`。`, `，`)
// without a space ends where the address does.
const LINK_PATTERN = /\bhttps?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+/gi;
// Characters that end sentences more often than addresses.
const TRAILING_PUNCTUATION = /[.,;:!?'"*]+$/;

/**
 * Splits chat text into text and links. Only `http:` and `https:` addresses become links;
 * punctuation after an address (and a closing bracket it did not open) stays text.
 */
export function splitLinks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let plainStart = 0;
  for (const match of text.matchAll(LINK_PATTERN)) {
    const start = match.index;
    const candidate = trimTrailing(match[0]);
    const href = toHttpUrl(candidate);
    if (!href) continue;
    if (start > plainStart) segments.push({ kind: 'text', text: text.slice(plainStart, start) });
    segments.push({ kind: 'link', text: candidate, href });
    plainStart = start + candidate.length;
  }
  if (plainStart < text.length) segments.push({ kind: 'text', text: text.slice(plainStart) });
  return segments;
}

function trimTrailing(candidate: string): string {
  let link = candidate;
  for (;;) {
    const trimmed = link.replace(TRAILING_PUNCTUATION, '');
    const last = trimmed.at(-1);
    const pair = last === ')' ? '(' : last === ']' ? '[' : null;
    // "(see https://example.com/a_(b))" keeps the bracket that belongs to the address.
    const unbalanced = pair !== null && count(trimmed, last!) > count(trimmed, pair);
    const next = unbalanced ? trimmed.slice(0, -1) : trimmed;
    if (next === link) return link;
    link = next;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function toHttpUrl(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}
