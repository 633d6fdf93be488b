// The code blocks of a page under docs/, so tests compile the examples people copy.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The text of every ````language` block of `docs/<page>`, in order.
 * @param {string} page
 * @param {string} language
 * @returns {string[]}
 */
export function codeBlocks(page, language) {
  const text = readFileSync(fileURLToPath(new URL(`../../docs/${page}`, import.meta.url)), 'utf8');
  return [...text.matchAll(/^```(\S+)\n([\s\S]*?)^```$/gm)]
    .filter((match) => match[1] === language)
    .map((match) => match[2]);
}
