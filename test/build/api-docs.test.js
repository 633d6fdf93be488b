// docs/api.md against custom-elements.json (made by `npm run build` from the element's JSDoc), the
// error codes and the styles' own fallbacks: names and defaults must agree both ways, so a new
// part, event or attribute cannot ship undocumented and a documented one cannot silently go. And
// the README keeps its two commands, and every link between the pages leads somewhere.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MANIFEST = join(ROOT, 'custom-elements.json');
const API_DOCS = join(ROOT, 'docs', 'api.md');
const README = join(ROOT, 'README.md');
const TAG = 'rtc-room';

/** @typedef {{ name: string, default?: string, fieldName?: string, type?: { text: string } }} Item a manifest entry */
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
 * A page's tables, keyed by the heading of their first column (`attribute`, `part`, …).
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
 * The one table of docs/api.md headed `heading`, failing clearly when there is none or more than one.
 * @param {Map<string, Row[][]>} tables
 * @param {string} heading
 */
function tableOf(tables, heading) {
  const found = tables.get(heading) ?? [];
  assert.equal(found.length, 1, `docs/api.md needs one table whose first column is "${heading}"`);
  return found[0];
}

/** @param {Row[]} rows */
function namesIn(rows) {
  return rows.flatMap((row) => row.names);
}

/**
 * Compares two lists of names as sets, naming what each side lacks.
 * @param {string[]} documented in docs/api.md
 * @param {string[]} declared in the manifest (or the source)
 * @param {string} what
 */
function assertSameNames(documented, declared, what) {
  const missing = declared.filter((name) => !documented.includes(name));
  const extra = documented.filter((name) => !declared.includes(name));
  assert.deepEqual(
    { undocumented: missing, documentedButGone: extra },
    { undocumented: [], documentedButGone: [] },
    `docs/api.md's ${what} and the element disagree`,
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

/** `code` (TypeScript) without its comments. @param {string} code */
function withoutComments(code) {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

/**
 * The string literals of a union type alias (`type RoomErrorCode = | 'a' | 'b' …;`), with the
 * members of any alias it names in `source`.
 * @param {string} source
 * @param {string} name
 * @returns {string[]}
 */
function unionMembers(source, name) {
  const body = new RegExp(`type ${name} =([^;]*);`).exec(withoutComments(source))?.[1];
  assert.ok(body, `no type ${name}`);
  const literals = [...body.matchAll(/'([^']+)'/g)].map((match) => match[1]);
  const aliases = [...body.replace(/'[^']*'/g, '').matchAll(/\b([A-Z]\w*)\b/g)].map(
    (match) => match[1],
  );
  return [...literals, ...aliases.flatMap((alias) => unionMembers(source, alias))];
}

/**
 * The members of every `interface` declared in `code`, by interface, with the interfaces it
 * extends; a body is read to its closing brace, so nested object types are not members.
 * @param {string} code
 * @returns {Map<string, { members: string[], extends: string[] }>}
 */
function interfacesIn(code) {
  const text = withoutComments(code);
  /** @type {Map<string, { members: string[], extends: string[] }>} */
  const found = new Map();
  for (const match of text.matchAll(
    /\binterface (\w+)(?:<[^>]*>)?(?: extends ([\w\s,<>]+))?\s*\{/g,
  )) {
    let depth = 1;
    let end = /** @type {number} */ (match.index) + match[0].length;
    const start = end;
    for (; end < text.length && depth > 0; end++) {
      if (text[end] === '{') depth++;
      if (text[end] === '}') depth--;
    }
    let level = 0;
    const members = [];
    for (const line of text.slice(start, end - 1).split('\n')) {
      const member = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*[:(]/.exec(line);
      if (member && level === 0) members.push(member[1]);
      level += (line.match(/[{(]/g) ?? []).length - (line.match(/[})]/g) ?? []).length;
    }
    const bases = (match[2] ?? '')
      .split(',')
      .map((base) => base.replace(/<.*$/, '').trim())
      .filter(Boolean);
    found.set(match[1], { members, extends: bases });
  }
  return found;
}

/**
 * An interface's members with those of the interfaces it extends.
 * @param {Map<string, { members: string[], extends: string[] }>} declared
 * @param {string} name
 * @returns {string[]}
 */
function allMembersOf(declared, name) {
  const found = declared.get(name);
  assert.ok(found, `the source declares no interface ${name}`);
  return [...found.members, ...found.extends.flatMap((base) => allMembersOf(declared, base))];
}

/**
 * The code of every fence in `markdown` whose language is `language`.
 * @param {string} markdown
 * @param {string} language
 */
function fencesOf(markdown, language) {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)]
    .filter((match) => match[1] === language)
    .map((match) => match[2]);
}

/**
 * GitHub's anchor for each heading of a page (lower case, punctuation dropped, spaces to
 * hyphens, a repeated one numbered).
 * @param {string} markdown
 */
function anchorsOf(markdown) {
  const anchors = new Set();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = match[1]
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** @param {string} markdown */
function withoutFences(markdown) {
  return markdown.replace(/^```[\s\S]*?^```$/gm, '');
}

/** The project's own pages: the README, every page under docs/, the benchmarks' README. */
function pages() {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => join('docs', file));
  return ['README.md', join('bench', 'README.md'), ...docs];
}

describe('docs/api.md against custom-elements.json and the source', () => {
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
    tables = readTables(readFileSync(API_DOCS, 'utf8'));
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

  test('lists every error code', () => {
    const codes = unionMembers(
      readFileSync(join(ROOT, 'src', 'errors.ts'), 'utf8'),
      'RoomErrorCode',
    );
    assertSameNames(namesIn(tableOf(tables, 'code')), codes, 'error codes');
  });

  test("gives each event's detail, Participant and ChatMessage as the source declares them", () => {
    const documented = interfacesIn(fencesOf(readFileSync(API_DOCS, 'utf8'), 'ts').join('\n'));
    const declared = interfacesIn(
      sourceFiles(join(ROOT, 'src'))
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n'),
    );
    const details = (element.events ?? []).map((event) => {
      const detail = /^CustomEvent<(\w+)>$/.exec(event.type?.text ?? '')?.[1];
      assert.ok(detail, `the manifest gives ${event.name} no CustomEvent<…> type`);
      return detail;
    });
    for (const name of new Set([...details, 'Participant', 'ChatMessage', 'ChatPicture'])) {
      assert.ok(documented.has(name), `docs/api.md has no \`interface ${name}\` in a ts fence`);
    }
    for (const name of documented.keys()) {
      const members = allMembersOf(documented, name);
      assert.deepEqual(
        [...members].sort(),
        [...allMembersOf(declared, name)].sort(),
        `the members of ${name}`,
      );
    }
  });

  test("names in the README's short tables are the element's", () => {
    const readme = readTables(readFileSync(README, 'utf8'));
    const members = (element.members ?? []).filter(
      (member) => !member.static && (member.privacy ?? 'public') === 'public',
    );
    /** @type {Record<string, string[]>} */
    const known = {
      attribute: namesOf(element.attributes),
      event: namesOf(element.events),
      method: namesOf(members.filter((member) => member.kind === 'method')),
      property: namesOf(members.filter((member) => member.kind === 'field' && member.readonly)),
    };
    for (const [heading, names] of Object.entries(known)) {
      for (const rows of readme.get(heading) ?? []) {
        const gone = namesIn(rows)
          .map((name) => name.replace(/\(.*$/, ''))
          .filter((name) => !names.includes(name));
        assert.deepEqual(gone, [], `the README's ${heading} table names what the element lacks`);
      }
    }
  });
});

describe('the README and the pages it links to', () => {
  test('keeps the two commands that work on a fresh machine', () => {
    const readme = readFileSync(README, 'utf8');
    assert.match(readme, /^npm install && npm start\b.*localhost:9000/m);
    assert.match(readme, /^npm test\b/m);
  });

  test('links to the reference, the operator guide, the architecture and the benchmarks', () => {
    const readme = withoutFences(readFileSync(README, 'utf8'));
    for (const page of [
      'docs/api.md',
      'docs/server.md',
      'docs/architecture.md',
      'bench/README.md',
    ]) {
      assert.ok(readme.includes(`](${page}`), `the README links to ${page}`);
    }
    assert.ok(readme.includes('](docs/room.png)'), 'the README shows docs/room.png');
  });

  test('every link between the pages leads to a file, and to a heading in it', () => {
    const broken = [];
    for (const page of pages()) {
      const markdown = readFileSync(join(ROOT, page), 'utf8');
      for (const [, target] of withoutFences(markdown).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path ? join(dirname(join(ROOT, page)), path) : join(ROOT, page);
        if (!existsSync(file)) {
          broken.push(`${page}: ${target} (no such file)`);
        } else if (anchor && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
          broken.push(`${page}: ${target} (no such heading)`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });
});
