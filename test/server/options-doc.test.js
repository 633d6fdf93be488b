import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  GUIDE,
  optionsSection,
  splitAtMarkers,
  withOptionsTable,
} from '../../server/options-doc.js';
import { OPTIONS, renderMarkdownTable } from '../../server/options.js';

describe('the option table in docs/server.md', () => {
  test('is the one the options render (run npm run docs:options after changing an option)', () => {
    const parts = splitAtMarkers(readFileSync(GUIDE, 'utf8'));
    assert.ok(
      parts,
      'docs/server.md has the <!-- options:start --> and <!-- options:end --> lines',
    );
    assert.equal(
      parts.table,
      optionsSection(),
      'docs/server.md lists other options than server/options.js: run `npm run docs:options`',
    );
  });

  test('lists every option once, with its variables and default', () => {
    const rows = renderMarkdownTable().split('\n').slice(2);
    assert.equal(rows.length, Object.keys(OPTIONS).length);
    assert.match(
      rows[0],
      /^\| `--port <n>` +\| `RTC_ROOM_PORT`, `PORT` +\| `9000` +\| port .+ \|$/,
    );
    assert.ok(rows.every((row) => row.split(' | ').length === 4 && row.length === rows[0].length));
  });

  test('replaces only what stands between the markers', () => {
    const guide = '# Guide\n\n<!-- options:start -->\nold\n<!-- options:end -->\n\nAfter.\n';
    assert.equal(
      withOptionsTable(guide),
      `# Guide\n\n<!-- options:start -->\n${optionsSection()}\n<!-- options:end -->\n\nAfter.\n`,
    );
    assert.throws(() => withOptionsTable('# No markers\n'), /options:start/);
  });
});
