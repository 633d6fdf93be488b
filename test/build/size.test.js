// The script-tag build, as built by `npm run build`: its size budget, its chunks, what it leaves out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FIRST_FILE_BUDGET, TOTAL_BUDGET, measureBundle } from '../../build/size-report.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const read = (/** @type {string} */ name) => readFileSync(DIST + name, 'utf8');
const bundle = measureBundle();
const everything = bundle.files.map((file) => read(file.name)).join('\n');

describe('the script-tag build', () => {
  test(`rtc-room.js is at most ${FIRST_FILE_BUDGET / 1024} KiB gzipped`, () => {
    assert.ok(
      bundle.entry.gzip <= FIRST_FILE_BUDGET,
      `rtc-room.js is ${bundle.entry.gzip} bytes gzipped, over ${FIRST_FILE_BUDGET}`,
    );
  });

  test(`everything a join downloads is at most ${TOTAL_BUDGET / 1024} KiB gzipped`, () => {
    assert.ok(
      bundle.total.gzip <= TOTAL_BUDGET,
      `a join downloads ${bundle.total.gzip} bytes gzipped, over ${TOTAL_BUDGET}`,
    );
  });

  test('rtc-room.js imports nothing up front and loads its chunks relative to itself', () => {
    assert.deepEqual(bundle.entry.imports, []);
    const lazy = [...read('rtc-room.js').matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.ok(lazy.length >= 3, `dynamic imports: ${lazy}`);
    for (const specifier of lazy) assert.match(specifier, /^\.\/chunks\/[\w-]+\.js$/);
  });

  test('the call, PeerJS and the chat panel are chunks, not in rtc-room.js', () => {
    const entry = read('rtc-room.js');
    const chunks = bundle.files.filter((file) => !file.isEntry).map((file) => read(file.name));
    // Strings only each of them has: the session's, PeerJS's and the chat panel's.
    for (const marker of ['rtcRoomLink', 'peerjs', 'rtc-chat-panel']) {
      assert.ok(
        chunks.some((code) => code.includes(marker)),
        `${marker} is in a chunk`,
      );
    }
    assert.ok(!entry.includes('rtcRoomLink'), 'the transport is not in rtc-room.js');
    assert.ok(!entry.includes('customElements.define("rtc-chat-panel"'));
    assert.ok(!/RTCPeerConnection/.test(entry), 'nothing WebRTC in rtc-room.js');
  });

  test('leaves the emoji list to a chunk of its own, loaded when the picker opens', () => {
    const joined = bundle.files.filter((file) => !file.onDemand).map((file) => read(file.name));
    const [emoji] = bundle.files.filter((file) => file.onDemand?.includes('emoji picker'));
    assert.ok(emoji, 'an on-demand chunk for the emoji picker');
    assert.match(read(emoji.name), /birthday cake/);
    for (const code of joined) assert.doesNotMatch(code, /birthday cake/);
  });

  test('carries no WebRTC shim, no BinaryPack and no PeerJS log messages', () => {
    for (const marker of [
      'shimPeerConnection', // webrtc-adapter
      'adapter.js',
      'Unsupported unicode', // BinaryPack's packer
      '_PEERJSTEST', // PeerJS's feature test that builds an RTCPeerConnection on load
      'PeerJS: ', // its log prefix
      'Failed to createOffer',
    ]) {
      assert.ok(!everything.includes(marker), `${marker} is not in the bundle`);
    }
  });

  test('every chunk file the build wrote is one a join can load, with its compressed copies', () => {
    const written = readdirSync(`${DIST}chunks`).filter((name) => name.endsWith('.js'));
    const loaded = bundle.files.filter((file) => !file.isEntry).map((f) => f.name.slice(7));
    const assets = bundle.assets.map((name) => name.slice(7));
    assert.deepEqual(
      written.sort(),
      [...loaded, ...assets.filter((a) => a.endsWith('.js'))].sort(),
    );
    for (const name of ['rtc-room.js', ...bundle.files.map((file) => file.name)]) {
      for (const suffix of ['.br', '.gz', '.map', '.map.br', '.map.gz']) {
        assert.doesNotThrow(() => readFileSync(DIST + name + suffix), `${name}${suffix}`);
      }
    }
    for (const name of bundle.assets) {
      for (const suffix of ['.br', '.gz']) {
        assert.doesNotThrow(() => readFileSync(DIST + name + suffix), `${name}${suffix}`);
      }
    }
  });

  test('loads the RNNoise worklet and wasm from the noise chunk only, and the background worker from the background chunk only, which a join loads neither of', () => {
    const [noise] = bundle.files.filter((file) => file.onDemand?.includes('noise suppression'));
    const [background] = bundle.files.filter((file) => file.onDemand?.includes('background'));
    assert.ok(noise, 'an on-demand chunk for strong noise suppression');
    assert.ok(background, 'an on-demand chunk for the background effect');
    const unhashed = (/** @type {string[]} */ names) =>
      names.map((name) => name.replace(/-[\w-]{8}\./, '.')).sort();
    assert.deepEqual(unhashed(noise.referencedFiles), [
      'chunks/rnnoise-worklet.js',
      'chunks/rnnoise.wasm',
    ]);
    assert.deepEqual(unhashed(background.referencedFiles), ['chunks/background-worker.js']);
    // A classic script (importScripts loads it): no module syntax.
    assert.doesNotMatch(read(background.referencedFiles[0]), /\b(import|export)\b[\s{*]/);
    for (const file of bundle.files.filter((f) => f !== noise && f !== background)) {
      assert.deepEqual(file.referencedFiles, [], file.name);
    }
    const wasm = readFileSync(DIST + noise.referencedFiles.find((n) => n.endsWith('.wasm')));
    assert.equal(wasm.subarray(0, 4).toString('latin1'), '\0asm');
    assert.doesNotMatch(read(noise.referencedFiles.find((n) => n.endsWith('.js')) ?? ''), /import/);
  });
});

describe('source maps', () => {
  const maps = bundle.files.map((file) => JSON.parse(read(`${file.name}.map`)));
  const sources = maps.flatMap((map) => map.sources);

  test('hold the text of every source they name', () => {
    for (const map of maps) {
      assert.equal(map.sourcesContent.length, map.sources.length);
      for (const [index, content] of map.sourcesContent.entries()) {
        assert.equal(typeof content, 'string', map.sources[index]);
        assert.ok(content.length > 0, map.sources[index]);
      }
    }
  });

  test('reach our TypeScript, the transport included, and PeerJS own sources', () => {
    for (const path of [
      'src/rtc-room.ts',
      'src/transport/peerjs-transport.ts',
      'src/transport/peerjs-link.ts',
      'src/room/room-session.ts',
      'src/ui/chat-panel.ts',
    ]) {
      assert.ok(
        sources.some((source) => source.endsWith(path)),
        path,
      );
    }
    assert.ok(
      sources.some((source) => /peerjs\/.*\.ts$/.test(source)),
      `a PeerJS TypeScript source among ${sources.filter((s) => s.includes('peerjs'))}`,
    );
  });
});
