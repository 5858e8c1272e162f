// Builds everything the extension runs from into dist/: the extension host bundle, the training
// worker, the CLI (all Node, CommonJS), each webview (browser, IIFE), the tfjs .wasm binaries and
// the webview assets. `--production` minifies and drops source maps; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './build-wasm.mjs';
import { generateEditorAssets } from './gen-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = join(root, 'dist');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // vscode is provided by the extension host at run time.
  external: ['vscode'],
  // tfjs-backend-cpu's package.json declares its Node entry free of side effects, yet importing it
  // is what registers the backend; honouring that annotation silently drops the cpu backend.
  ignoreAnnotations: true,
};

const builds = [
  { ...node, entryPoints: { extension: 'extension/extension.ts' }, outdir: dist },
  { ...node, entryPoints: { worker: 'worker/main.ts' }, outdir: dist },
  { ...node, entryPoints: { engineData: 'worker/engineData.ts' }, outdir: dist },
  { ...node, entryPoints: { cli: 'cli/run.ts' }, outdir: dist, banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: { training: 'webview/training/main.ts', playground: 'webview/playground/main.ts', inside: 'webview/inside/main.ts', compare: 'webview/compare/main.ts', lrFinder: 'webview/lrFinder/main.ts', augmentPreview: 'webview/augmentPreview/main.ts', convolution: 'webview/convolution/main.ts' },
    outdir: join(dist, 'webview'),
    loader: { '.css': 'css' },
  },
  // Notebook renderers are ES modules that VS Code imports into the notebook's webview.
  { ...common, platform: 'browser', target: 'es2022', format: 'esm', entryPoints: { 'notebook-renderer': 'webview/notebook/renderer.ts' }, outdir: join(dist, 'webview') },
];

function copyAssets() {
  const copies = [
    ['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', 'wasm/tfjs-backend-wasm.wasm'],
    ['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', 'wasm/tfjs-backend-wasm-simd.wasm'],
    ['node_modules/@vscode/codicons/dist/codicon.css', 'webview/codicon.css'],
    ['node_modules/@vscode/codicons/dist/codicon.ttf', 'webview/codicon.ttf'],
    ['webview/shared/base.css', 'webview/base.css'],
    ['webview/training/training.css', 'webview/training.css'],
    ['webview/playground/playground.css', 'webview/playground.css'],
    ['webview/inside/inside.css', 'webview/inside.css'],
    ['webview/compare/compare.css', 'webview/compare.css'],
    ['webview/lrFinder/lrFinder.css', 'webview/lrFinder.css'],
    ['webview/augmentPreview/augmentPreview.css', 'webview/augmentPreview.css'],
    ['webview/convolution/convolution.css', 'webview/convolution.css'],
  ];
  for (const [from, to] of copies) {
    mkdirSync(dirname(join(dist, to)), { recursive: true });
    copyFileSync(join(root, from), join(dist, to));
  }
}

process.chdir(root);
if (!watch) rmSync(dist, { recursive: true, force: true });
copyAssets();
buildWasm(root, dist);
await generateEditorAssets(root, dist);
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('Watching for changes…');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  const bytes = results.flatMap((r) => Object.entries(r.metafile.outputs)).filter(([f]) => !f.endsWith('.map'));
  for (const [file, { bytes: size }] of bytes) console.log(`${file.padEnd(36)} ${(size / 1024).toFixed(0).padStart(6)} KB`);
}
