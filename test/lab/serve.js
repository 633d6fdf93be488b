// Runs inside the lab's internet namespace: rtc-room-server and the host pages, each on port 443
// of its own lab address (a corporate network lets out nothing else). Prints one JSON line with
// both URLs once they listen; stops when stdin closes.
import { createRoomServer } from '../../server/app.js';
import { parseConfig } from '../../server/config.js';
import { startHostPages } from '../e2e/harness.js';

const [address, hostAddress, ...flags] = process.argv.slice(2);
const config = parseConfig(
  ['--host', address, '--port', '443', '--log-level', 'error', ...flags],
  {},
);
const room = createRoomServer(config);
await /** @type {Promise<void>} */ (
  new Promise((resolve) => room.server.listen(443, address, resolve))
);
const host = await startHostPages(hostAddress, 443);
process.stdout.write(`${JSON.stringify({ server: `http://${address}:443`, host: host.url })}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await host.close();
  await room.close();
  process.exit(0);
});
