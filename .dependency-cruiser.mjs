// Layer rules for the product code: `npm run lint` runs eslint, then these (`npm run lint:layers`).
//
// Why dependency-cruiser rather than eslint-plugin-boundaries + import/no-cycle:
// - "Webview code reaches no node: or tfjs" is a question about the whole import graph (a panel
//   imports common/, which must not import something that imports node:fs). dependency-cruiser
//   answers it with a `reachable` rule; an eslint rule sees one file at a time.
// - The cycle we have is made of type-only imports. import/no-cycle ignores `import type` by design;
//   dependency-cruiser counts them with tsPreCompilationDeps.
// - The allowed arrows are one table below, which test/unit/layerRules.test.ts reads back.
// eslint keeps its per-file no-restricted-imports rules as the fast first net in the editor.
//
// test/unit/layerRules.test.ts proves each rule fires, by name, on a small tree that breaks it.
import { builtinModules } from 'node:module';

/** Every top-level folder of product code, and the folders each one may import from. */
const allowedArrows = {
  protocol: [],
  common: ['protocol'],
  model: ['common', 'protocol'],
  engine: ['model', 'common', 'protocol'],
  host: ['engine', 'model', 'common', 'protocol'],
  extension: ['host', 'engine', 'model', 'common', 'protocol'],
  worker: ['host', 'engine', 'model', 'common', 'protocol'],
  cli: ['host', 'engine', 'model', 'common', 'protocol'],
  webview: ['common', 'protocol'],
};
const layers = Object.keys(allowedArrows);
/** Folders beside the product code that no product file may import (tests, benches, build scripts). */
const outsideProduct = ['test', 'bench', 'scripts', 'examples'];

const folderPattern = (folders) => `^(${folders.join('|')})/`;
const productCode = folderPattern(layers);

// Node's builtins as dependency-cruiser names them (`fs`, `node:fs`, `fs/promises`...).
const nodeBuiltins = `^(node:.*|${builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/\//g, '\\/')).join('|')})$`;
const tfjs = '(^|/)@tensorflow/';

function layerRules(layer) {
  const forbidden = [...layers.filter((l) => l !== layer && !allowedArrows[layer].includes(l)), ...outsideProduct];
  const rule = {
    name: `layer-${layer}`,
    severity: 'error',
    comment: `${layer}/ may import only ${allowedArrows[layer].map((l) => `${l}/`).join(', ') || 'nothing outside its own folder'}.`,
    from: { path: `^${layer}/` },
    to: { path: folderPattern(forbidden) },
  };
  return [rule];
}

/** @type {import('dependency-cruiser').IConfiguration} */
const config = {
  forbidden: [
    ...layers.flatMap(layerRules),
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No import cycle in the product code, type-only imports included: a cycle means two modules are one.',
      from: { path: productCode },
      to: { circular: true },
    },
    {
      name: 'vscode-only-in-extension',
      severity: 'error',
      comment: 'Only extension/ imports vscode, so every other layer runs in the CLI, the worker and plain tests.',
      from: { path: productCode, pathNot: '^extension/' },
      to: { path: '^vscode$|(^|/)@types/vscode/' },
    },
    {
      name: 'webview-reaches-no-node-or-tfjs',
      severity: 'error',
      comment: 'Webview bundles run in a browser sandbox: nothing they import, however indirectly, may need Node or TensorFlow.js.',
      from: { path: '^webview/' },
      to: { path: [nodeBuiltins, tfjs], reachable: true },
    },
    {
      name: 'protocol-common-no-node-or-tfjs',
      severity: 'error',
      comment: 'protocol/ and common/ are shared with the webviews, so they stay browser-safe.',
      from: { path: '^(protocol|common)/' },
      to: { path: [nodeBuiltins, tfjs] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
// Also read by test/unit/layerRules.test.ts; not enumerable, so the config stays what the schema allows.
Object.defineProperties(config, { allowedArrows: { value: allowedArrows } });
export default config;
