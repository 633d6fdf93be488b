// Finds the programs the tests drive: an explicit path from the environment, else Debian's.
import { existsSync } from 'node:fs';

const BROWSERS = {
  chromium: {
    env: 'CHROME_PATH',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
    hint: 'install it with `apt-get install -y chromium` or set CHROME_PATH',
  },
  firefox: {
    env: 'FIREFOX_PATH',
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    hint: 'install it with `apt-get install -y firefox-esr` or set FIREFOX_PATH',
  },
};

/** coturn's `turnserver`, for the TURN tests; an Error with an install hint when missing. */
export function findTurnServer() {
  const path = process.env.TURNSERVER_PATH ?? '/usr/bin/turnserver';
  if (existsSync(path)) return path;
  throw new Error(
    `turnserver not found at ${path}: install it with \`apt-get install -y coturn\` or set TURNSERVER_PATH`,
  );
}

/** Debian's nginx, for the load-balancing test; an Error with an install hint when missing. */
export function findNginx() {
  const path = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
  if (existsSync(path)) return path;
  throw new Error(
    `nginx not found at ${path}: install it with \`apt-get install -y nginx\` or set NGINX_PATH`,
  );
}

/**
 * The executable of `name`, or an Error with a one-line install hint; tests never pass without it.
 * @param {'chromium' | 'firefox'} name
 * @returns {string}
 */
export function findBrowser(name) {
  const { env, paths, hint } = BROWSERS[name];
  const fromEnv = process.env[env];
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`${env}=${fromEnv} does not exist: ${hint}`);
  }
  const found = paths.find((path) => existsSync(path));
  if (!found) throw new Error(`${name} not found: ${hint}`);
  return found;
}
