import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { findBrowser } from './test/browsers.js';

export default {
  files: 'test/unit/**/*.test.ts',
  nodeResolve: { browser: true },
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
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
