// Layering rules: `vscode` only in extension/, tfjs never in webview/ or protocol/, and protocol/
// imports nothing outside itself: both ends of every boundary load its types and guards, so it
// must run anywhere (host, worker, webview) and pull no other layer in with it.
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only extension/ may import vscode; keep this layer usable from the CLI, the worker and tests.' };
const noTfjs = { group: ['@tensorflow/*'], message: 'Webviews and protocol/ never load TensorFlow.js: training happens in the worker.' };
const noNode = { group: ['node:*', 'fs', 'path', 'worker_threads', 'child_process'], message: 'Browser code: no Node modules.' };
const onlyProtocol = { regex: '^(?!\\./)', message: 'protocol/ imports nothing outside protocol/: move the shape check in here instead.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-vsix/**', '.cache/**', 'out/**', 'bin/**', 'engine/train/kernels/simd/**'] },
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
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTfjs, noNode, onlyProtocol] }] },
  },
);
