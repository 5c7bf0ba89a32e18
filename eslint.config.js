import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const PURE = [
  'src/engine/**',
  'src/capture/**',
  'src/report/**',
  'src/shared/**',
  'src/har/**',
  'src/lib/**',
];

/**
 * The import table of docs/architecture.md ("Modules and what each may import"), enforced: each
 * folder of src/ may import only the folders listed here (and itself). `lib` is the leaf every layer may
 * use. Imports between folders are relative, so a rule matches the folder name after the `../` steps.
 */
const MAY_IMPORT = {
  lib: [],
  engine: ['lib'],
  capture: ['engine', 'lib'],
  report: ['engine', 'lib'],
  shared: ['engine', 'lib'],
  har: ['engine', 'report', 'lib'],
  cli: ['engine', 'har', 'report', 'lib'],
  background: ['engine', 'capture', 'shared', 'platform', 'lib'],
  panel: ['engine', 'report', 'har', 'shared', 'platform', 'lib'],
  devtools: ['platform', 'lib'],
  platform: ['lib'],
};
const MODULES = Object.keys(MAY_IMPORT);

const POLYFILL = { group: ['webextension-polyfill'], message: 'Only src/platform/browser.ts may import it.' };
const ENGINE_INTERNALS = {
  regex: '^(\\.\\./)+engine/',
  message:
    'Outside src/engine, import the engine from its public entry (src/engine/index.ts); add the export there.',
};

/** One block per folder of src/: `no-restricted-imports` with the folders it may not import. */
function boundaries() {
  return MODULES.flatMap((name) => {
    const allowed = MAY_IMPORT[name];
    const banned = MODULES.filter((m) => m !== name && !allowed.includes(m));
    const patterns = [
      {
        regex: `^(\\.\\./)+(${banned.join('|')})(/|$)`,
        message: `src/${name} may import from src/ only itself${allowed.map((m) => `, ${m}`).join('')} (docs/architecture.md, "Modules and what each may import").`,
      },
      ...(name === 'engine' ? [] : [ENGINE_INTERNALS]),
    ];
    const rule = (extra) => ({ 'no-restricted-imports': ['error', { patterns: [...patterns, ...extra] }] });
    const files = [`src/${name}/**`];
    return name === 'platform'
      ? [
          { files, ignores: ['src/platform/browser.ts'], rules: rule([POLYFILL]) },
          { files: ['src/platform/browser.ts'], rules: rule([]) },
        ]
      : [{ files, rules: rule([POLYFILL]) }];
  });
}

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
  // Module boundaries (the import table), the engine's one public entry, and the polyfill in one place.
  ...boundaries(),
  {
    // Small units: a file or a function past these sizes does more than one thing.
    files: ['src/**'],
    rules: {
      'max-lines': ['error', { max: 450 }],
      'max-lines-per-function': ['error', { max: 100 }],
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
    // The value lives in pure modules: no browser globals (no glue imports: see MAY_IMPORT).
    files: PURE,
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'chrome', 'browser', 'window', 'document', 'self', 'navigator'],
    },
  },
);
