import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { lazyModule } from './build/lazy-module.js';

const source = (path) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

const compile = () => [
  resolve({ browser: true }),
  // PeerJS's WebRTC shim depends on the CommonJS `sdp` package.
  commonjs(),
  typescript({
    tsconfig: './tsconfig.json',
    declaration: false,
    declarationMap: false,
    outDir: 'dist',
    noEmitOnError: true,
  }),
];

// One self-contained ES module (Lit and PeerJS inside) so a site embeds the room with one script
// tag; PeerJS inside it stays unevaluated until a visitor joins.
export default {
  input: 'src/index.ts',
  output: {
    file: 'dist/rtc-room.js',
    format: 'es',
    sourcemap: true,
    inlineDynamicImports: true,
  },
  onwarn(warning, warn) {
    // Dependencies' transpiled helpers use top-level `this`; harmless in an ES module.
    if (warning.code === 'THIS_IS_UNDEFINED' && warning.id?.includes('node_modules')) return;
    warn(warning);
  },
  plugins: [
    lazyModule({
      module: source('transport/peerjs-transport.ts'),
      exports: ['createPeerJsTransport'],
      shared: [source('errors.ts'), source('util/emitter.ts')],
      plugins: compile,
    }),
    ...compile(),
    terser({ format: { comments: false } }),
  ],
};
