// The README's reference tables against custom-elements.json (made by `npm run build` from the
// element's JSDoc) and the styles' own fallbacks: names and defaults must agree both ways, so a new
// part, event or attribute cannot ship undocumented and a documented one cannot silently go.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST = join(ROOT, 'custom-elements.json');
const TAG = 'rtc-room';

/** @typedef {{ name: string, default?: string, fieldName?: string }} Item a manifest entry */
/** @typedef {{ name: string, kind: string, static?: boolean, privacy?: string, readonly?: boolean }} Member */
/**
 * The manifest's declaration of the element, as far as this test reads it.
 * @typedef {object} Declaration
 * @property {string} [tagName]
 * @property {Item[]} [attributes]
 * @property {Item[]} [events]
 * @property {Item[]} [cssParts]
 * @property {Item[]} [cssProperties]
 * @property {Member[]} [members]
 */

/**
 * @typedef {object} Row
 * @property {string[]} names the backticked names in the row's first cell
 * @property {string[]} cells every cell, trimmed
 */

/**
 * The README's tables, keyed by the heading of their first column (`attribute`, `part`, …).
 * @param {string} markdown
 * @returns {Map<string, Row[][]>}
 */
function readTables(markdown) {
  /** @type {Map<string, Row[][]>} */
  const tables = new Map();
  /** @type {string[][]} */
  let block = [];
  let isInFence = false;
  const flush = () => {
    if (block.length >= 2) {
      const key = block[0][0].toLowerCase();
      const rows = block.slice(2).map((cells) => ({
        names: [...cells[0].matchAll(/`([^`]+)`/g)].map((match) => match[1]),
        cells,
      }));
      tables.set(key, [...(tables.get(key) ?? []), rows]);
    }
    block = [];
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) isInFence = !isInFence;
    if (!isInFence && line.startsWith('|')) {
      // Cells split on pipes that are not escaped (`\|` inside a type).
      const inner = line
        .trim()
        .replace(/^\|/, '')
        .replace(/(?<!\\)\|$/, '');
      block.push(inner.split(/(?<!\\)\|/).map((cell) => cell.trim()));
    } else {
      flush();
    }
  }
  flush();
  return tables;
}

/**
 * The one README table headed `heading`, failing clearly when there is none or more than one.
 * @param {Map<string, Row[][]>} tables
 * @param {string} heading
 */
function tableOf(tables, heading) {
  const found = tables.get(heading) ?? [];
  assert.equal(found.length, 1, `the README needs one table whose first column is "${heading}"`);
  return found[0];
}

/** @param {Row[]} rows */
function namesIn(rows) {
  return rows.flatMap((row) => row.names);
}

/**
 * Compares two lists of names as sets, naming what each side lacks.
 * @param {string[]} documented in the README
 * @param {string[]} declared in the manifest
 * @param {string} what
 */
function assertSameNames(documented, declared, what) {
  const missing = declared.filter((name) => !documented.includes(name));
  const extra = documented.filter((name) => !declared.includes(name));
  assert.deepEqual(
    { missingFromReadme: missing, notInManifest: extra },
    { missingFromReadme: [], notInManifest: [] },
    `the README's ${what} and custom-elements.json disagree`,
  );
}

/**
 * A table cell that is exactly one code span, e.g. `` `grid` ``, or null for prose.
 * @param {string} cell
 */
function literalIn(cell) {
  return /^`([^`]+)`$/.exec(cell)?.[1] ?? null;
}

/**
 * The manifest's default for an attribute, when it is one a reader needs told (a non-empty string,
 * a non-zero number, true); null for "empty", "off" and "none".
 * @param {string | undefined} text the default as source text, e.g. `'grid'`, `false`, `null`
 */
function meaningfulDefault(text) {
  if (text === undefined) return null;
  const quoted = /^(['"`])(.*)\1$/.exec(text);
  if (quoted) return quoted[2] === '' ? null : quoted[2];
  if (['null', 'undefined', 'false', '0', '[]', '{}'].includes(text)) return null;
  return text;
}

/** @param {string} dir */
function sourceFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

/**
 * Every `var(--rtc-room-…, fallback)` the source reads: the property, and its fallbacks (with
 * whitespace collapsed) and where they are.
 * @returns {Map<string, { fallback: string | null, file: string }[]>}
 */
function propertiesReadBySource() {
  /** @type {Map<string, { fallback: string | null, file: string }[]>} */
  const read = new Map();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/var\(\s*(--rtc-room-[\w-]+)\s*([,)])/g)) {
      let fallback = null;
      if (match[2] === ',') {
        // The fallback runs to the parenthesis that closes this var(, past any nested ones.
        const start = /** @type {number} */ (match.index) + match[0].length;
        let depth = 1;
        let end = start;
        for (; end < text.length && depth > 0; end++) {
          if (text[end] === '(') depth++;
          if (text[end] === ')') depth--;
        }
        fallback = text
          .slice(start, end - 1)
          .replace(/\s+/g, ' ')
          .trim();
      }
      const uses = read.get(match[1]) ?? [];
      uses.push({ fallback, file: file.slice(ROOT.length) });
      read.set(match[1], uses);
    }
  }
  return read;
}

/** @param {{ name: string }[] | undefined} items */
function namesOf(items) {
  return (items ?? []).map((item) => item.name);
}

describe('the README against custom-elements.json', () => {
  /** @type {Declaration} */
  let element;
  /** @type {Map<string, Row[][]>} */
  let tables;

  before(() => {
    assert.ok(
      existsSync(MANIFEST),
      'custom-elements.json is missing: it is generated, so run `npm run build` (or `npm run analyze`) first',
    );
    /** @type {{ modules: { declarations?: Declaration[] }[] }} */
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    const found = manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .find((declaration) => declaration.tagName === TAG);
    assert.ok(found, `custom-elements.json declares no <${TAG}>`);
    element = found;
    tables = readTables(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  });

  test('lists every attribute, with its property and its default', () => {
    const rows = tableOf(tables, 'attribute');
    const attributes = element.attributes ?? [];
    assertSameNames(namesIn(rows), namesOf(attributes), 'attributes');
    for (const row of rows) {
      const attribute = attributes.find((a) => a.name === row.names[0]);
      assert.ok(attribute);
      const [, property = '', defaultCell = ''] = row.cells;
      assert.equal(literalIn(property), attribute.fieldName, `the property of ${attribute.name}`);
      const declared = meaningfulDefault(attribute.default);
      const documented = literalIn(defaultCell);
      if (declared !== null || documented !== null) {
        assert.equal(documented, declared, `the default of ${attribute.name}`);
      }
    }
  });

  test('lists every event', () => {
    assertSameNames(namesIn(tableOf(tables, 'event')), namesOf(element.events), 'events');
  });

  test('lists every CSS part', () => {
    assertSameNames(namesIn(tableOf(tables, 'part')), namesOf(element.cssParts), 'CSS parts');
  });

  test('lists every public method and read-only property', () => {
    const members = (element.members ?? []).filter(
      (member) => !member.static && (member.privacy ?? 'public') === 'public',
    );
    assertSameNames(
      namesIn(tableOf(tables, 'method')).map((name) => name.replace(/\(.*$/, '')),
      namesOf(members.filter((member) => member.kind === 'method')),
      'methods',
    );
    assertSameNames(
      namesIn(tableOf(tables, 'property')),
      namesOf(members.filter((member) => member.kind === 'field' && member.readonly)),
      'read-only properties',
    );
  });

  test('lists every CSS custom property with the default the styles use', () => {
    const rows = tableOf(tables, 'custom property');
    const declared = element.cssProperties ?? [];
    assertSameNames(namesIn(rows), namesOf(declared), 'CSS custom properties');
    const read = propertiesReadBySource();
    const undeclared = [...read.keys()].filter((name) => !namesOf(declared).includes(name));
    assert.deepEqual(undeclared, [], 'the styles read custom properties the manifest lacks');
    for (const row of rows) {
      const name = row.names[0];
      const uses = read.get(name);
      assert.ok(uses, `${name} is documented but no style reads it`);
      const fallbacks = [...new Set(uses.flatMap((use) => use.fallback ?? []))];
      assert.ok(
        fallbacks.length <= 1,
        `${name} falls back to different values: ${uses.map((use) => `${use.fallback} in ${use.file}`).join(', ')}`,
      );
      const fromJsDoc = declared.find((property) => property.name === name)?.default;
      if (fromJsDoc !== undefined && fallbacks.length === 1) {
        assert.equal(fromJsDoc, fallbacks[0], `the @cssproperty default of ${name}`);
      }
      const expected = fromJsDoc ?? fallbacks[0] ?? null;
      const documented = literalIn(row.cells[1] ?? '');
      // A default computed from another property (a tint of the accent) may be told in words.
      const mayBeWords = expected === null || expected.includes('var(');
      if (!mayBeWords || documented !== null) {
        assert.equal(documented, expected, `the default of ${name}`);
      }
    }
  });
});
