import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express from 'express';

const CONTENT_TYPES = {
  js: 'text/javascript; charset=utf-8',
  map: 'application/json; charset=utf-8',
  // WebAssembly.compileStreaming() wants exactly this type.
  wasm: 'application/wasm',
};

/**
 * The background effect's files, served from the MediaPipe package itself at `/mediapipe/`
 * (nothing fetched from a CDN): its script, the SIMD wasm and its loader, the model and graph.
 */
export const MEDIAPIPE_DIR = dirname(
  createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json'),
);
const MEDIAPIPE_FILES = new Set([
  'selfie_segmentation.js',
  'selfie_segmentation.binarypb',
  'selfie_segmentation.tflite',
  'selfie_segmentation_landscape.tflite',
  'selfie_segmentation_solution_simd_wasm_bin.js',
  'selfie_segmentation_solution_simd_wasm_bin.wasm',
  'selfie_segmentation_solution_wasm_bin.js',
  'selfie_segmentation_solution_wasm_bin.wasm',
]);
/** The package's file names carry no hash, but its version is pinned: a day, then revalidate. */
const MEDIAPIPE_CACHE = 'public, max-age=86400';

/** Chunk names carry a hash of their content, so a name never changes meaning: cache a year. */
const CHUNK_CACHE = 'public, max-age=31536000, immutable';
/** rtc-room.js keeps its name across releases: caches keep it briefly, then revalidate it. */
const ENTRY_CACHE = 'public, max-age=300, must-revalidate';

/**
 * The copies the build writes beside each file, in the order we prefer them.
 * @type {{ name: string, suffix: string }[]}
 */
export const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
];

/**
 * Written by the build beside the files: for each file, the digest of its bytes (`identity`) and
 * of each compressed copy made from them (`br`, `gzip`).
 */
export const PRECOMPRESSED_MANIFEST = 'precompressed.json';

/** @typedef {Record<string, Record<string, string>>} PrecompressedManifest digests by file */

/**
 * What identifies a file's bytes, in the manifest and in ETags: SHA-256, base64url.
 * @param {Buffer} body
 */
export function digestOf(body) {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * A chunk or its map as the build names them (`call-Cs1t2nMq.js`, `call-Cs1t2nMq.js.map`), or an
 * asset a chunk loads (`rnnoise-BkX1c2Qe.wasm`).
 */
const CHUNK_NAME = /^[A-Za-z0-9_-]+\.(js(\.map)?|wasm)$/;

/**
 * The encodings an Accept-Encoding header allows (q > 0), by name.
 * @param {string | undefined} header
 * @returns {Set<string>}
 */
export function acceptedEncodings(header) {
  const accepted = new Set();
  const refused = new Set();
  let wildcard = false;
  for (const part of (header ?? '').split(',')) {
    const [name, ...parameters] = part.toLowerCase().split(';');
    const token = name.trim();
    if (!token) continue;
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const isAllowed = !q || Number(q.slice(2)) > 0;
    if (token === '*') wildcard = isAllowed;
    else (isAllowed ? accepted : refused).add(token);
  }
  if (wildcard) for (const { name } of ENCODINGS) if (!refused.has(name)) accepted.add(name);
  return accepted;
}

/**
 * Digests by file, computed once per version of the file (its size and mtime).
 * @type {Map<string, string>}
 */
const digests = new Map();

/**
 * @param {string} path
 * @param {import('node:fs').Stats} info
 * @returns {Promise<string>}
 */
async function fileDigest(path, info) {
  const key = `${path}:${info.size}:${info.mtimeMs}`;
  let digest = digests.get(key);
  if (!digest) {
    digest = digestOf(await readFile(path));
    digests.set(key, digest);
  }
  return digest;
}

/**
 * Manifests by path, read again when the file changes.
 * @type {Map<string, { key: string, manifest: PrecompressedManifest }>}
 */
const manifests = new Map();

/**
 * The build's manifest of compressed copies in `distDir`, or `{}` without a readable one.
 * @param {string} distDir
 * @returns {Promise<PrecompressedManifest>}
 */
async function readManifest(distDir) {
  const path = join(distDir, PRECOMPRESSED_MANIFEST);
  const info = await statOrNull(path);
  if (!info) return {};
  const key = `${info.size}:${info.mtimeMs}`;
  const known = manifests.get(path);
  if (known?.key === key) return known.manifest;
  /** @type {PrecompressedManifest} */
  let manifest = {};
  try {
    manifest = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // A manifest cut short vouches for nothing: the files go out uncompressed.
  }
  manifests.set(path, { key, manifest });
  return manifest;
}

/**
 * @param {string} path
 * @returns {Promise<import('node:fs').Stats | null>}
 */
async function statOrNull(path) {
  try {
    const info = await stat(path);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

/**
 * @param {string | undefined} header
 * @param {string} etag
 */
function matchesEtag(header, etag) {
  if (!header) return false;
  return header
    .split(',')
    .map((candidate) => candidate.trim().replace(/^W\//, ''))
    .some((candidate) => candidate === etag || candidate === '*');
}

/**
 * Sends one built file (`name` inside `distDir`): the brotli or gzip copy beside it when the
 * client takes it and the build's manifest vouches for it, with `Vary`, a strong ETag per
 * encoding (304 on a match), CORS for any site, and `cacheControl`.
 * @param {import('express').Request} request
 * @param {import('express').Response} response
 * @param {string} distDir
 * @param {string} name
 * @param {string} cacheControl
 * @returns {Promise<boolean>} false when the file does not exist
 */
async function sendBuilt(request, response, distDir, name, cacheControl) {
  const path = join(distDir, name);
  const original = await statOrNull(path);
  if (!original) return false;
  const identity = await fileDigest(path, original);
  const accepted = acceptedEncodings(request.get('accept-encoding'));
  const listed = (await readManifest(distDir))[name];
  /** @type {{ path: string, info: import('node:fs').Stats, digest: string, encoding: string | null }} */
  let chosen = { path, info: original, digest: identity, encoding: null };
  // A copy made from other bytes than the file's (a build stopped half-way, a file replaced by
  // hand) is stale: send the file itself.
  if (listed?.identity === identity) {
    for (const { name: encoding, suffix } of ENCODINGS) {
      if (!accepted.has(encoding)) continue;
      const info = await statOrNull(path + suffix);
      const digest = info && (await fileDigest(path + suffix, info));
      if (digest && digest === listed[encoding]) {
        chosen = { path: path + suffix, info, digest, encoding };
        break;
      }
    }
  }
  const etag = `"${chosen.digest.slice(0, 22)}${chosen.encoding ? `-${chosen.encoding}` : ''}"`;
  response.set({
    // Any site may load the widget with a <script type="module"> tag, which makes a CORS request.
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Content-Type': /\.(tflite|binarypb)$/.test(name)
      ? 'application/octet-stream'
      : CONTENT_TYPES[
          /** @type {'map' | 'wasm' | 'js'} */ (/\.(map|wasm)$/.exec(name)?.[1] ?? 'js')
        ],
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
    ETag: etag,
  });
  if (matchesEtag(request.get('if-none-match'), etag)) {
    response.status(304).end();
    return true;
  }
  if (chosen.encoding) response.set('Content-Encoding', chosen.encoding);
  response.set('Content-Length', String(chosen.info.size));
  if (request.method === 'HEAD') response.status(200).end();
  else response.status(200).end(await readFile(chosen.path));
  return true;
}

/**
 * The demo at `/`, the widget at `/rtc-room.js`, the chunks it loads from `/chunks/` and the
 * background effect's MediaPipe files from `/mediapipe/`.
 * @param {object} dirs
 * @param {string} dirs.demoDir
 * @param {string} dirs.distDir
 * @returns {import('express').Router}
 */
export function createStaticRouter({ demoDir, distDir }) {
  const router = express.Router();
  /**
   * @param {string} name
   * @param {string} cacheControl
   * @param {string} [dir] where the file is (the build by default)
   * @returns {import('express').RequestHandler}
   */
  const serve =
    (name, cacheControl, dir = distDir) =>
    async (request, response, next) => {
      try {
        if (await sendBuilt(request, response, dir, name, cacheControl)) return;
        const isBundle = name === 'rtc-room.js';
        response
          .status(isBundle ? 503 : 404)
          .type('text/plain')
          .send(isBundle ? 'rtc-room.js is not built yet: run npm run build\n' : 'Not found\n');
      } catch (error) {
        next(error);
      }
    };
  router.get('/rtc-room.js', serve('rtc-room.js', ENTRY_CACHE));
  router.get('/rtc-room.js.map', serve('rtc-room.js.map', ENTRY_CACHE));
  router.get('/chunks/:name', (request, response, next) => {
    const { name } = request.params;
    if (!CHUNK_NAME.test(name)) {
      next();
      return;
    }
    void serve(`chunks/${name}`, CHUNK_CACHE)(request, response, next);
  });
  router.get('/mediapipe/:name', (request, response, next) => {
    const { name } = request.params;
    if (!MEDIAPIPE_FILES.has(name)) {
      next();
      return;
    }
    void serve(name, MEDIAPIPE_CACHE, MEDIAPIPE_DIR)(request, response, next);
  });
  router.use(express.static(demoDir));
  return router;
}
