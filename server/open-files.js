import { readFileSync } from 'node:fs';

// Every WebSocket holds a file descriptor: past the process's open-file limit the kernel refuses
// the next socket and the visitor sees a connection that closes unexplained. So the figure of
// --max-connections is kept below that limit, and a visitor past it is told `server-full`.

/** Descriptors kept for everything but signalling sockets: Node's own, listening sockets, logs. */
const FIXED_RESERVE = 64;

/** Share of the limit kept besides, for HTTP connections, file reads and TURN checks. */
const SHARE_RESERVED = 0.1;

/**
 * The soft limit on open files (`ulimit -n`), read from /proc/self/limits; null where it cannot be
 * read (not Linux) or there is none.
 * @param {() => string} [read]
 * @returns {number | null}
 */
export function readOpenFileLimit(read = () => readFileSync('/proc/self/limits', 'utf8')) {
  let limits;
  try {
    limits = read();
  } catch {
    return null;
  }
  const match = /^Max open files\s+(\d+)\s/m.exec(limits);
  return match ? Number(match[1]) : null;
}

/**
 * The most WebSockets a process with `openFileLimit` descriptors can hold and still serve
 * everything else.
 * @param {number} openFileLimit
 * @returns {number}
 */
export function connectionsWithin(openFileLimit) {
  const reserve = FIXED_RESERVE + Math.ceil(openFileLimit * SHARE_RESERVED);
  return Math.max(1, openFileLimit - reserve);
}

/**
 * `maxConnections`, lowered when the open-file limit cannot carry it.
 * @param {number} maxConnections
 * @param {number | null} openFileLimit null: unknown, nothing to fit
 * @returns {{ maxConnections: number, notice: string | null }} the figure, and why it was lowered
 */
export function fitToOpenFiles(maxConnections, openFileLimit) {
  if (openFileLimit === null) return { maxConnections, notice: null };
  const fitting = connectionsWithin(openFileLimit);
  if (maxConnections <= fitting) return { maxConnections, notice: null };
  return {
    maxConnections: fitting,
    notice:
      `--max-connections lowered from ${maxConnections} to ${fitting}: the open-file limit ` +
      `(ulimit -n) is ${openFileLimit} and ${openFileLimit - fitting} are kept for listening ` +
      `sockets, HTTP connections, files and logs; raise the limit to hold more`,
  };
}
