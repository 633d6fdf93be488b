// The @rollup plugins that rollup.config.js and the package test use, typed as Node loads them.
// Their types describe only their CommonJS build, so TypeScript takes a default import of one for
// the module object; Node loads their ES build, whose default export is the plugin function
// (rollup/plugins#1329).
import commonjsModule from '@rollup/plugin-commonjs';
import terserModule from '@rollup/plugin-terser';
import typescriptModule from '@rollup/plugin-typescript';

export { nodeResolve } from '@rollup/plugin-node-resolve';

/**
 * A plugin's default export as Node's `import` gives it.
 * @template {{ default: unknown }} M
 * @param {M} imported
 * @returns {M['default']}
 */
const loaded = (imported) => /** @type {M['default']} */ (/** @type {unknown} */ (imported));

export const commonjs = loaded(commonjsModule);
export const terser = loaded(terserModule);
export const typescript = loaded(typescriptModule);
