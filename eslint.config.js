import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pure = ['src/checks/**', 'src/evaluate/**', 'src/report/**', 'src/facts/**', 'src/catalog/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.mjs', 'bench/*.mjs'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The pure core: no I/O. Checks, evaluation, reports and facts only transform data.
    files: pure,
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:fs', 'node:fs/*', 'fs', 'node:child_process', 'child_process', 'node:net', 'node:os'], message: 'The pure core does no I/O.' },
        { group: ['**/target/**', '**/collect/**', '**/cli/**'], message: 'The pure core must not depend on targets, collectors or the CLI.' },
      ] }],
    },
  },
);
