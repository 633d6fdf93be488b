// The types a React app gets: `rtc-room/jsx` for React 19's own custom-element support and
// `rtc-room/react` for React 18, checked by compiling a .tsx file against the built package.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { codeBlocks } from './doc-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The attributes custom-elements.json lists for <rtc-room>, as a TypeScript union. */
function manifestAttributes() {
  /**
   * The part of the manifest read here.
   * @type {{ modules: { declarations?: { tagName?: string, attributes?: { name: string }[] }[] }[] }}
   */
  const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8'));
  const element = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .find((declaration) => declaration.tagName === 'rtc-room');
  if (!element?.attributes) throw new Error('custom-elements.json lists no rtc-room attributes');
  return element.attributes.map((attribute) => `'${attribute.name}'`).join(' | ');
}

const APP = `import 'rtc-room/jsx';
import { useState } from 'react';
import type { RtcRoomAttributes } from 'rtc-room/jsx';
import { RtcRoom } from 'rtc-room/react';

export function Room({ roomId }: { roomId: string }) {
  const [peerId, setPeerId] = useState('');
  return (
    <>
      <rtc-room
        room-id={roomId}
        server="https://rtc.example.com"
        layout="speaker"
        no-prejoin
        max-image-size={1_000_000}
        onrtc-join={(event) => setPeerId(event.detail.peerId)}
        onrtc-error={(event) => console.log(event.detail.code, event.detail.message)}
        onrtc-message={(event) => console.log(event.detail.message)}
      />
      <rtc-room roomId={roomId} noPrejoin videoOff theme="dark" data-peer={peerId} />
      {/* @ts-expect-error not a layout */}
      <rtc-room layout="mosaic" />
      {/* @ts-expect-error a room ID is a string */}
      <rtc-room room-id={5} />
      {/* @ts-expect-error rtc-join carries the room and peer IDs */}
      <rtc-room onrtc-join={(event: CustomEvent<number>) => event.detail.toFixed()} />
      <RtcRoom roomId={roomId} noPrejoin onRtcJoin={(event) => setPeerId(event.detail.peerId)} />
      {/* @ts-expect-error onRtcJoin gets rtc-join */}
      <RtcRoom onRtcJoin={(event: CustomEvent<number>) => event.detail.toFixed()} />
    </>
  );
}

// The typed attributes are those the element's manifest lists, no more and no fewer.
type Listed = ${manifestAttributes()};
export const typedAreListed: Listed = '' as keyof RtcRoomAttributes;
export const listedAreTyped: keyof RtcRoomAttributes = '' as Listed;
`;

test('.tsx files that use <rtc-room> and <RtcRoom> type-check, and wrong props do not', (t) => {
  const app = mkdtempSync(join(tmpdir(), 'rtc-room-tsx-'));
  t.after(() => rmSync(app, { recursive: true, force: true }));
  mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
  // As npm lays out an app: the package, and React's types the app depends on.
  symlinkSync(ROOT, join(app, 'node_modules', 'rtc-room'), 'dir');
  symlinkSync(
    join(ROOT, 'node_modules', '@types', 'react'),
    join(app, 'node_modules', '@types', 'react'),
    'dir',
  );
  // This file, and the React examples of docs/frameworks.md.
  const files = [APP, ...codeBlocks('frameworks.md', 'tsx')].map((text, index) => {
    const path = join(app, `room-${index}.tsx`);
    writeFileSync(path, text);
    return path;
  });
  assert.equal(files.length, 3);
  const program = ts.createProgram(files, {
    jsx: ts.JsxEmit.ReactJSX,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  assert.deepEqual(errors, []);
});
