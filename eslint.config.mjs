// Layering rules: `vscode` only in extension/, tfjs never in webview/ or protocol/,
// and protocol/ stays type-only so every boundary shares one set of message shapes.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only extension/ may import vscode; keep this layer usable from the CLI, the worker and tests.' };
const noTfjs = { group: ['@tensorflow/*'], message: 'Webviews and protocol/ never load TensorFlow.js: training happens in the worker.' };
const noNode = { group: ['node:*', 'fs', 'path', 'worker_threads', 'child_process'], message: 'Browser code: no Node modules.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-vsix/**', '.cache/**', 'out/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['common/**/*.ts', 'model/**/*.ts', 'engine/**/*.ts', 'host/**/*.ts', 'worker/**/*.ts', 'cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTfjs, noNode] }] },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTfjs, noNode] }],
      // type-only: any value import would drag runtime code across a boundary
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', disallowTypeAnnotations: false }],
    },
  },
);
