import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const pure = ['src/checks/**', 'src/evaluate/**', 'src/report/**', 'src/facts/**', 'src/catalog/**', 'src/fix/plan.ts', 'src/fix/diff.ts'];
const io = [
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:child_process',
  'child_process',
  'node:net',
  'node:os',
  'node:dgram',
  'node:http',
  'node:https',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', 'test-artifacts/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
        window: 'readonly',
        document: 'readonly',
        requestAnimationFrame: 'readonly',
      },
    },
  },
  {
    // Date bombs: the CLI reads "now" through src/cli/clock.ts only (--now, RAMPART_NOW, real time).
    files: ['src/cli/**', ...pure],
    ignores: ['src/cli/clock.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read the time through clockOf (a judgement) or wallClock (a recorded event) in src/cli/clock.ts.',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Read the time through clockOf or wallClock in src/cli/clock.ts.',
        },
      ],
    },
  },
  {
    // The pure core: no I/O. Checks, evaluation, reports and facts only transform data.
    files: pure,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: io.map((name) => ({ name, message: 'The pure core does no I/O.' })),
          patterns: [
            {
              group: ['**/target/**', '**/collect/**', '**/cli/**', '**/store/**'],
              message: 'The pure core must not depend on targets, collectors, the store or the CLI.',
            },
          ],
        },
      ],
    },
  },
  // Layout is Prettier's (npm run lint checks it; npm run format writes it): no stylistic ESLint rules.
  prettier,
);
