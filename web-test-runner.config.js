import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { transform } from 'esbuild';
import { RNNOISE_WASM, WORKLET_SOURCE } from './build/worker-assets.js';
import { findBrowser } from './test/browsers.js';

/**
 * The files the noise module loads beside itself, as the build and the package put them there:
 * the worklet compiled from its TypeScript alone, RNNoise's wasm from its package.
 * @type {import('@web/test-runner').TestRunnerPlugin}
 */
const noiseWorklet = {
  name: 'noise-worklet',
  async serve(context) {
    if (context.path !== '/src/media/noise/rnnoise-worklet.js') return undefined;
    const { code } = await transform(readFileSync(WORKLET_SOURCE, 'utf8'), { loader: 'ts' });
    return { body: code, type: 'js' };
  },
};

/** @type {import('koa').Middleware} */
const noiseWasm = (context, next) => {
  if (context.path === '/src/media/noise/rnnoise.wasm') {
    context.path = `/${relative(process.cwd(), RNNOISE_WASM)}`;
  }
  return next();
};

export default {
  files: 'test/unit/**/*.test.ts',
  nodeResolve: { browser: true },
  middleware: [noiseWasm],
  plugins: [
    noiseWorklet,
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: findBrowser('chromium'),
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          // Peer connections in the tests gather candidates on 127.0.0.1 too, whatever else the
          // machine has.
          '--allow-loopback-in-peer-connection',
        ],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  concurrency: 1,
};
