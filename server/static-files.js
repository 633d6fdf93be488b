import { join } from 'node:path';
import express from 'express';

/** The widget bundle and its source map, with their content types. */
const WIDGET_FILES = [
  ['rtc-room.js', 'text/javascript; charset=utf-8'],
  ['rtc-room.js.map', 'application/json; charset=utf-8'],
];

/**
 * The demo at `/` and the widget bundle at `/rtc-room.js`.
 * @param {object} dirs
 * @param {string} dirs.demoDir
 * @param {string} dirs.distDir
 * @returns {import('express').Router}
 */
export function createStaticRouter({ demoDir, distDir }) {
  const router = express.Router();
  for (const [name, contentType] of WIDGET_FILES) {
    router.get(`/${name}`, (_request, response, next) => {
      response.set({
        // Any site may load the widget with a <script type="module"> tag, which makes a CORS request.
        'Access-Control-Allow-Origin': '*',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Content-Type': contentType,
      });
      response.sendFile(join(distDir, name), (error) => {
        if (!error || response.headersSent) return;
        if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') {
          next(error);
          return;
        }
        const isBundle = name === 'rtc-room.js';
        response
          .status(isBundle ? 503 : 404)
          .type('text/plain')
          .send(isBundle ? 'rtc-room.js is not built yet: run npm run build\n' : 'Not found\n');
      });
    });
  }
  router.use(express.static(demoDir));
  return router;
}
