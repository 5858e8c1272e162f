// The JSON Schema is generated from the parser's tables: it knows every layer and option, accepts
// the examples, rejects what the parser rejects; and the build's generator writes it with the rule docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { buildModelSchema } from '../../model/completion/schema';
import { RULES } from '../../model/rules';
import { LAYERS } from '../../model/language/layers';
import { ACTIVATIONS } from '../../model/language/vocabulary';
import { repo } from './helpers';

const schema = buildModelSchema();
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const valid = (doc: unknown): boolean => validate(doc) as boolean;

test('the schema lists every layer of the catalogue with its options', () => {
  type Section = { properties: { layers: { items: { anyOf: Record<string, unknown>[] } } } };
  const items = (schema.properties as { model: Section }).model.properties.layers.items.anyOf;
  for (const [kind, def] of Object.entries(LAYERS)) {
    const entry = items.find((i) => (i.required as string[] | undefined)?.[0] === kind) as { properties: Record<string, { properties: Record<string, unknown> }> } | undefined;
    assert.ok(entry, `layer ${kind} missing from the schema`);
    for (const option of Object.keys(def.options)) assert.ok(option in (entry.properties[kind]?.properties ?? {}), `${kind}.${option} missing`);
  }
  const dense = items.find((i) => (i.required as string[] | undefined)?.[0] === 'dense') as { properties: { dense: { properties: { activation: { enum: string[] } } } } };
  assert.deepEqual(dense.properties.dense.properties.activation.enum, [...ACTIVATIONS]);
});

test('every example model file is valid under the schema', () => {
  const files = readdirSync(join(repo, 'examples')).filter((f) => /\.model\.(ya?ml|json)$/.test(f));
  assert.ok(files.length >= 3);
  for (const f of files) {
    const doc: unknown = parseYaml(readFileSync(join(repo, 'examples', f), 'utf8'));
    assert.ok(valid(doc), `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
});

test('the schema rejects an unknown layer, an unknown option, a wrong enum value and a missing section', () => {
  const base = { data: { dataset: 'xor' }, model: { input: [2], layers: [{ dense: { units: 1, activation: 'sigmoid' } }] }, train: { loss: 'binaryCrossentropy' } };
  assert.ok(valid(base));
  assert.ok(!valid({ ...base, model: { input: [2], layers: [{ dens: { units: 1 } }] } }));
  assert.ok(!valid({ ...base, model: { input: [2], layers: [{ dense: { units: 1, activaton: 'relu' } }] } }));
  assert.ok(!valid({ ...base, model: { input: [2], layers: [{ dense: { units: 1, activation: 'relus' } }] } }));
  assert.ok(!valid({ ...base, model: { input: [2], layers: [{ dense: { activation: 'relu' } }] } }), 'units is required');
  assert.ok(!valid({ ...base, train: { loss: 'hinge' } }));
  assert.ok(!valid({ data: base.data, model: base.model }));
  assert.ok(valid({ ...base, model: { input: [2], layers: ['flatten', { dense: { units: 1, kernelInitializer: { randomNormal: { stddev: 0.1 } }, kernelRegularizer: { l2: 0.001 } } }] } }));
});

test('the build\'s generator writes the schema and one doc per rule', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modellab-schema-'));
  try {
    const { generateEditorAssets } = await import('../../scripts/gen-schema.mjs');
    const out = await generateEditorAssets(repo, dir);
    assert.equal(out.rules, RULES.length);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'model.schema.json'), 'utf8')), JSON.parse(JSON.stringify(schema)));
    const docs = readdirSync(join(dir, 'rules')).sort();
    assert.deepEqual(docs, RULES.map((r) => `${r.code}.md`).sort());
    const md = readFileSync(join(dir, 'rules', 'linear-stack.md'), 'utf8');
    assert.match(md, /^# Linear layers stacked without a non-linearity \(`linear-stack`\)/);
    assert.match(md, /W2·\(W1·x \+ b1\) \+ b2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
