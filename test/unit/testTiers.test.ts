// The test tiers as package.json runs them: every test file is in exactly one tier, and `npm test`
// runs both tiers and the e2e suite, so a test moved to the slow tier is still run, never dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './helpers';

const scripts = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

test('test:unit runs test/unit/*.test.ts and test:slow runs test/slow/*.test.ts, and every test file is in one of them', () => {
  assert.match(scripts['test:unit'] ?? '', /--test .*test\/unit\/\*\.test\.ts$/);
  assert.match(scripts['test:slow'] ?? '', /--test .*test\/slow\/\*\.test\.ts$/);
  const outside = readdirSync(join(repo, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.test\.(ts|mjs)$/.test(f) && !/^(unit|slow|e2e)\/[^/]+$/.test(f.replaceAll('\\', '/')));
  assert.deepEqual(outside, [], 'test files that no tier runs');
});

test('npm test runs the typecheck, lint, both tiers and the e2e suite', () => {
  const steps = (scripts.test ?? '').split('&&').map((s) => s.trim());
  for (const name of ['typecheck', 'lint', 'test:unit', 'test:slow', 'test:e2e']) assert.ok(steps.includes(`npm run ${name}`), `npm test runs ${name}: ${scripts.test}`);
});
