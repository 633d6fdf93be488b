// A Rollup plugin that keeps a dynamically imported module, and everything it pulls in, inside
// the one output file but unevaluated until first used. PeerJS builds an RTCPeerConnection and
// its WebRTC shim patches the page's globals as soon as they are evaluated; a page that embeds
// the widget should pay for neither until a visitor joins a room.
import { rollup } from 'rollup';

const VIRTUAL_PREFIX = '\0lazy-module:';

/**
 * @param {object} options
 * @param {string} options.module absolute path of the module to defer (imported with `import()`)
 * @param {string[]} options.exports the functions it exports; each becomes a stub that loads it
 * @param {string[]} options.shared absolute paths of modules it shares with the rest of the bundle
 *   (their classes must stay one and the same, e.g. for `instanceof`)
 * @param {() => import('rollup').Plugin[]} options.plugins the plugins its own build needs
 * @returns {import('rollup').Plugin}
 */
export function lazyModule({ module, exports, shared, plugins }) {
  const virtualId = VIRTUAL_PREFIX + module;
  return {
    name: 'lazy-module',

    async resolveDynamicImport(specifier, importer) {
      if (typeof specifier !== 'string') return null;
      const resolved = await this.resolve(specifier, importer, { skipSelf: true });
      return resolved?.id === module ? virtualId : null;
    },

    async load(id) {
      if (id !== virtualId) return null;
      const globals = Object.fromEntries(shared.map((path, index) => [path, `__shared${index}`]));
      const bundle = await rollup({
        input: module,
        external: (source, _importer, isResolved) => isResolved && source in globals,
        plugins: plugins(),
        onwarn: (warning, warn) => {
          if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
        },
      });
      const { output } = await bundle.generate({ format: 'iife', name: '__deferred', globals });
      await bundle.close();
      for (const file of output[0].referencedFiles ?? []) this.addWatchFile(file);
      const imports = shared
        .map((path, index) => `import * as __shared${index} from ${JSON.stringify(path)};`)
        .join('\n');
      const stubs = exports
        .map((name) => `export const ${name} = (...args) => load().${name}(...args);`)
        .join('\n');
      return `${imports}
let loaded;
function load() {
  loaded ??= (() => {
${output[0].code}
return __deferred;
  })();
  return loaded;
}
${stubs}
`;
    },
  };
}
