// Inlay hints fit VS Code's 43 characters: the shape, the parameters and (when there is room) the MACs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HINT_MAX_LENGTH, hintLabel } from '../../model/analysis/layerLabels';
import { parseModelSection } from '../../model/language/parse';
import { repo } from './helpers';

test('short labels keep everything; long ones tighten the shape, then drop the MACs, never cut', () => {
  assert.equal(hintLabel({ outputShape: [8], params: 24, macs: 16 }), '→ [8] · 24 params · 16 MACs');
  const vgg = hintLabel({ outputShape: [224, 224, 64], params: 36928, macs: 1849688064 });
  assert.ok(vgg.length <= HINT_MAX_LENGTH, vgg);
  assert.equal(vgg, '→ [224,224,64] · 36.9k params · 1.85G MACs');
  const wide = hintLabel({ outputShape: [1024, 1024, 512], params: 2359808, macs: 2474639884288 });
  assert.ok(wide.length <= HINT_MAX_LENGTH, wide);
  assert.match(wide, /^→ \[1024,1024,512\] · 2\.36M params/);
});

test('every layer of every shipped model file gets a hint within the limit', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.model\.(ya?ml|json)$/.test(e.name)) files.push(join(dir, e.name));
    }
  };
  walk(join(repo, 'examples'));
  let layers = 0;
  for (const f of files) {
    for (const l of parseModelSection(readFileSync(f, 'utf8')).summary?.layers ?? []) {
      layers++;
      assert.ok(hintLabel(l).length <= HINT_MAX_LENGTH, `${f}: ${hintLabel(l)}`);
    }
  }
  assert.ok(layers > 100, `${layers} layers`);
});
