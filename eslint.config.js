import js from '@eslint/js';
import tseslint from 'typescript-eslint';
// Their named `configs`, typed config by config (the default export's are a loose record).
import { configs as lit } from 'eslint-plugin-lit';
import { configs as wc } from 'eslint-plugin-wc';
import compat from 'eslint-plugin-compat';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/unit/**/*.ts'],
    ...lit['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'test/unit/**/*.ts'],
    ...wc['flat/recommended'],
  },
  {
    // Web APIs the browsers of package.json's browserslist lack (Safari and iOS included).
    files: ['src/**/*.{ts,js}', 'demo/**/*.js'],
    ...compat.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.{ts,js}', 'test/unit/**/*.ts', 'demo/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: [
      'server/**/*.js',
      'build/**/*.js',
      'test/*.js',
      'test/server/**/*.js',
      'test/build/**/*.js',
      '*.js',
    ],
    languageOptions: { globals: globals.node },
  },
  {
    // Stand-ins for MediaPipe's scripts, loaded by the background worker in unit tests.
    files: ['test/unit/**/fake-mediapipe/**/*.js'],
    languageOptions: { globals: globals.worker },
  },
  {
    // Node scripts that also hand functions to the browser pages they drive.
    files: ['test/e2e/**/*.js', 'test/lab/**/*.js', 'bench/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
