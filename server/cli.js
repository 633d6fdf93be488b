#!/usr/bin/env node
import { createRoomServer } from './app.js';
import { ConfigError, HELP, parseConfig } from './config.js';
import { fitToOpenFiles, readOpenFileLimit } from './open-files.js';

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5000;

/** @returns {import('./config.js').Config} */
function readConfig() {
  try {
    return parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `rtc-room-server: ${error.message}\nRun rtc-room-server --help for the options.\n`,
    );
    process.exit(2);
  }
}

const config = readConfig();
if (config.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const fitted = fitToOpenFiles(config.limits.maxConnections, readOpenFileLimit());
if (fitted.notice) process.stderr.write(`rtc-room-server: ${fitted.notice}\n`);
const { server, close } = createRoomServer({
  ...config,
  limits: { ...config.limits, maxConnections: fitted.maxConnections },
});
const scheme = config.tls ? 'https' : 'http';
const host = config.host.includes(':') ? `[${config.host}]` : config.host;

server.on('error', (error) => {
  process.stderr.write(
    `rtc-room-server: cannot listen on ${host}:${config.port}: ${error.message}\n`,
  );
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(
    `rtc-room-server listening on ${scheme}://${host}:${port} ` +
      `(demo at /, widget at /rtc-room.js, PeerServer at ${config.path})\n`,
  );
});

/** @param {NodeJS.Signals} signal */
function shutdown(signal) {
  process.stdout.write(`rtc-room-server: ${signal}, closing\n`);
  setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS).unref();
  void close();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
