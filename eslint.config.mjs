// Lint rules hold the code to the limits the product was specified with (file length, complexity,
// parameters, classes per file, inheritance depth) and keep the pure core free of `vscode`.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import maxInheritanceDepth from './eslint-rules/maxInheritanceDepth.mjs';
import maxTopLevelFunctions from './eslint-rules/maxTopLevelFunctions.mjs';

/** The two limits ESLint has no stock rule for. */
const limits = { rules: { 'max-top-level-functions': maxTopLevelFunctions, 'max-inheritance-depth': maxInheritanceDepth } };

const pureLayers = ['src/core/**', 'src/stores/**', 'src/interop/**', 'src/cli/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'media/chat/chat.js', 'out/**', 'node_modules/**', '.vscode-test/**', 'scripts/**/*.mjs', 'eslint.config.mjs', 'eslint-rules/**', 'test/fixtures/lint/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { limits },
    rules: {
      'limits/max-top-level-functions': ['error', { max: 10 }],
      'limits/max-inheritance-depth': ['error', { max: 2 }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      // Interface methods are async by contract even when an implementation has nothing to await.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-throw-literal': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      complexity: ['error', 10],
      'max-params': ['error', 5],
      'max-classes-per-file': ['error', 5],
      'max-depth': ['error', 4],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The webview runs in a browser: its own tsconfig adds the DOM library.
    files: ['src/webview/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: ['./src/webview/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: pureLayers,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The pure core never imports vscode.' }] }],
    },
  },
  {
    files: ['test/**'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
