/** Configuration of `cem analyze` (`npm run analyze`), which writes custom-elements.json. */
export default {
  globs: ['src/**/*.ts'],
  litelement: true,
  plugins: [
    {
      // The analyzer lists modules in the order its file search happens to finish; sorting them
      // makes the manifest the same from build to build.
      name: 'sort-modules',
      /** @param {{ customElementsManifest: { modules: { path: string }[] } }} phase the manifest's part we sort */
      packageLinkPhase({ customElementsManifest }) {
        customElementsManifest.modules.sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        );
      },
    },
  ],
};
