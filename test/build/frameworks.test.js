// docs/frameworks.md: its Vue and Svelte components compile, and render <rtc-room> as the
// custom element it is, with its events listened to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileScript, compileTemplate, parse } from '@vue/compiler-sfc';
import { compile } from 'svelte/compiler';
import { codeBlocks } from './doc-blocks.js';

test('the Vue example compiles, with rtc-room a custom element and its events listened to', () => {
  const [source] = codeBlocks('frameworks.md', 'vue');
  const { descriptor, errors } = parse(source, { filename: 'Room.vue' });
  assert.deepEqual(errors, []);
  const script = compileScript(descriptor, { id: 'room' });
  assert.match(script.content, /import 'rtc-room'/);
  if (!descriptor.template) throw new Error('the Vue example has no template');
  const template = compileTemplate({
    id: 'room',
    filename: 'Room.vue',
    source: descriptor.template.content,
    // As the example's vite.config.ts says.
    compilerOptions: {
      isCustomElement: (tag) => tag === 'rtc-room',
      bindingMetadata: script.bindings,
    },
  });
  assert.deepEqual(template.errors, []);
  assert.deepEqual(template.tips, []);
  assert.doesNotMatch(template.code, /resolveComponent/);
  assert.match(template.code, /"rtc-room"/);
  // Vue's runtime turns onRtcJoin back into a listener for rtc-join.
  assert.match(template.code, /onRtcJoin: \$setup\.handleJoin/);
});

test('the Svelte example compiles without a warning, listening to rtc-join and rtc-error', () => {
  const [source] = codeBlocks('frameworks.md', 'svelte');
  const { js, warnings } = compile(source, { filename: 'Room.svelte', generate: 'client' });
  assert.deepEqual(
    warnings.map((warning) => warning.message),
    [],
  );
  assert.match(js.code, /import 'rtc-room'/);
  for (const type of ['rtc-join', 'rtc-error']) {
    assert.match(js.code, new RegExp(`['"]${type}['"]`), type);
  }
});
