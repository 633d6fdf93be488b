// Which of our private members the build may rename: only those nothing outside their class reads.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { renamablePrivates } from '../../build/plugins.js';

test('renames a private member only where it is never read but as this.<name>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rtc-room-mangle-'));
  try {
    writeFileSync(
      join(dir, 'a.ts'),
      [
        'export class A {',
        '  private readonly timerOfA = 1;',
        '  private shared = 2;',
        '  private keyed = 3;',
        '  private handleTick(): number {',
        '    return this.timerOfA + this.shared + this.keyed;',
        '  }',
        '}',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'b.ts'),
      'export class B {\n  shared = 1;\n}\nexport const frame = { keyed: true };\n',
    );
    assert.deepEqual(renamablePrivates(dir).sort(), ['handleTick', 'timerOfA']);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
