import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'release', 'test-results', 'bench-results', 'bin'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // src/shared runs in the CLI, the tests and the Electron main process: never pull Electron in.
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'] }] },
  },
  {
    // The renderer-safe part of src/shared (and the renderer itself): no Node built-ins, nothing from the
    // Node-only folders (node/ for sockets and files, simulation/ which runs them), so the page never bundles them.
    files: ['src/shared/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    ignores: ['src/shared/node/**', 'src/shared/simulation/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['node:*'], message: 'Node built-ins belong in src/shared/node or src/main.' },
            {
              group: ['**/node/*', '**/simulation/*'],
              message: 'Node-only modules: the renderer-safe part of src/shared must not import them.',
            },
          ],
        },
      ],
    },
  },
);
