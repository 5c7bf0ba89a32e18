import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const PURE = ['src/engine/**', 'src/capture/**', 'src/report/**', 'src/shared/**', 'src/har/**'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'test/fixtures/**',
      '.tmp-skip-reporter-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A `default:` is an explicit decision; a switch over a union without one must name every member.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  { files: ['**/*.js', '**/*.cjs', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked] },
  {
    // Tests read untyped JSON and page.evaluate() results on purpose, and stand-ins implement async
    // browser APIs without awaiting: the any-flow and require-await rules are for shipped code.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**'],
    ignores: ['src/cli/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    // The command line runs on Node only.
    files: ['src/cli/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/**'],
    ignores: ['src/platform/browser.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'webextension-polyfill', message: 'Import from src/platform/browser.ts.' }] },
      ],
    },
  },
  {
    // No HTML sinks: the panel shows text servers control (scripts/no-inner-html.ts removes Preact's).
    files: ['src/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'No HTML from strings: render text and elements.',
        },
        {
          selector: 'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'No HTML from strings: use textContent or elements.',
        },
      ],
    },
  },
  {
    // The value lives in pure modules: no browser globals, no platform imports.
    files: PURE,
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'chrome', 'browser', 'window', 'document', 'self', 'navigator'],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['webextension-polyfill'], message: 'Only src/platform/browser.ts may import it.' },
            {
              group: ['**/background/**', '**/panel/**', '**/platform/**', '**/devtools/**'],
              message: 'Pure modules import no glue.',
            },
          ],
        },
      ],
    },
  },
);
