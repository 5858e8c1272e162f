// Writes the editor assets that come from the parser's own tables: dist/model.schema.json (the
// JSON Schema for *.model.json, see model/completion/schema.ts) and dist/rules/<code>.md (each rule's
// explanation, linked from its diagnostics, see model/rules/). Called by scripts/build.mjs.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ENTRY = `
export { buildModelSchema } from './model/completion/schema';
export { RULES, ruleMarkdown } from './model/rules/';
`;

export async function generateEditorAssets(root, dist) {
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'warning',
  });
  const tmp = join(dist, `.gen-schema-${process.pid}.cjs`);
  writeFileSync(tmp, result.outputFiles[0].text);
  let mod;
  try {
    mod = createRequire(import.meta.url)(tmp);
  } finally {
    rmSync(tmp, { force: true });
  }
  writeFileSync(join(dist, 'model.schema.json'), JSON.stringify(mod.buildModelSchema(), null, 1));
  const rulesDir = join(dist, 'rules');
  mkdirSync(rulesDir, { recursive: true });
  for (const rule of mod.RULES) writeFileSync(join(rulesDir, `${rule.code}.md`), mod.ruleMarkdown(rule));
  return { rules: mod.RULES.length };
}
