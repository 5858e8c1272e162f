// Fuzzing the model-file parser (it runs on every keystroke, so it must never throw or hang):
// 10,000 generated and mutated YAML/JSON inputs. Every input must give a model or diagnostics whose
// ranges lie inside the text, never an exception, and each must parse within a time bound. Seeded,
// so a failure names an input that reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel, parseModelSection } from '../../model/language/parse';
import type { SpecDiagnostic } from '../../model/language/diagnostic';
import { makeRng } from '../../common/random';
import { repo } from './helpers';

const INPUTS = 10_000;
/** Generous for a 2-core CI machine running other work; the median input takes well under 1 ms. */
const PER_INPUT_MS = 2_000;

function exampleTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.model\.(ya?ml|json)$/.test(e.name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(repo, 'examples'));
  return out;
}

const TOKENS = [
  '{', '}', '[', ']', ':', ',', '-', ' ', '\n', '\t', '"', "'", '#', '&a', '*a', '!!str', '|', '>', '?', '%', '@', '`',
  '.nan', '.inf', '-.inf', 'NaN', 'Infinity', '1e309', '-1e309', '9007199254740993', '0x10', '1e-400', '-0', 'null', '~', 'true', 'no',
  'dense', 'conv2d', 'units', 'filters', 'kernelSize', 'layers', 'model', 'input', 'train', 'data', 'inputs', 'id', 'activation',
  'learningRate', 'batchSize', 'epochs', 'optimizer', 'loss', '__proto__', 'constructor', 'prototype', '\u0000', '\ufffd', '\u202e', '😀',
];

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

function mutate(text: string, rng: Rng): string {
  let s = text;
  const edits = 1 + Math.floor(rng() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rng() * (s.length + 1));
    const len = Math.floor(rng() * 12);
    switch (Math.floor(rng() * 6)) {
      case 0: s = s.slice(0, at) + s.slice(at + len); break; // delete
      case 1: s = s.slice(0, at) + pick(rng, TOKENS) + s.slice(at); break; // insert a token
      case 2: s = s.slice(0, at) + s.slice(at, at + len).split('').reverse().join('') + s.slice(at + len); break;
      case 3: s = s.slice(0, at) + String.fromCharCode(Math.floor(rng() * 0x3000)) + s.slice(at + 1); break; // replace a char
      case 4: { // duplicate a line (duplicate keys, repeated layers)
        const lines = s.split('\n');
        const k = Math.floor(rng() * lines.length);
        lines.splice(k, 0, lines[k] ?? '');
        s = lines.join('\n');
        break;
      }
      default: s = s.slice(0, at); // truncate
    }
  }
  return s;
}

/** A structurally valid-looking file with wrong types and extreme values in random places. */
function generate(rng: Rng): string {
  const value = (depth: number): unknown => {
    const r = rng();
    if (depth > 3 || r < 0.5) return pick(rng, [0, -1, 1.5, 1e308, -1e-320, 2 ** 53 + 1, 'relu', '', 'x'.repeat(300), true, null, NaN, Infinity]);
    if (r < 0.75) return Array.from({ length: Math.floor(rng() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rng() * 4) }, () => [pick(rng, TOKENS), value(depth + 1)]));
  };
  const layer = (): unknown => ({ [pick(rng, ['dense', 'conv2d', 'flatten', 'dropout', 'maxPooling2d', 'add', 'nope'])]: rng() < 0.3 ? value(1) : { units: value(2), filters: value(2), kernelSize: value(2), rate: value(2), inputs: value(2), id: value(2) } });
  const file = {
    name: value(2),
    data: rng() < 0.8 ? { dataset: pick(rng, ['xor', 'digits', 'circles', 'nope', 7]), samples: value(2), validationSplit: value(2) } : value(1),
    model: { input: rng() < 0.5 ? [8, 8, 1] : value(1), layers: Array.from({ length: Math.floor(rng() * 6) }, layer) },
    train: { loss: value(2), optimizer: value(2), learningRate: value(2), batchSize: value(2), epochs: value(2) },
  };
  // JSON can't say NaN/Infinity; the YAML-ish dump below writes them as YAML does.
  const json = JSON.stringify(file, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `__${String(v)}__` : v));
  const text = rng() < 0.5 ? json : json.replace(/"__NaN__"/g, '.nan').replace(/"__-?Infinity__"/g, (m) => (m.includes('-') ? '-.inf' : '.inf'));
  return text.replace(/"__(-?\w+)__"/g, '"$1"');
}

function deepNesting(rng: Rng): string {
  const depth = 100 + Math.floor(rng() * 1000);
  return rng() < 0.5 ? `model:\n  layers: ${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
}

function invalidUtf8(rng: Rng, base: string): string {
  const bytes = Buffer.from(base, 'utf8');
  for (let i = 0; i < 8; i++) bytes[Math.floor(rng() * bytes.length)] = 0x80 + Math.floor(rng() * 0x7f);
  return bytes.toString('utf8'); // how the editor and fs hand such a file over: U+FFFD in place
}

function checkRanges(text: string, diagnostics: SpecDiagnostic[], label: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of diagnostics) {
    const { start, end } = d.range;
    const ok = Number.isInteger(start.line) && Number.isInteger(start.character) && Number.isInteger(end.line) && Number.isInteger(end.character)
      && start.line >= 0 && start.character >= 0 && end.line < lines.length + 1
      && (start.line < end.line || (start.line === end.line && start.character <= end.character));
    assert.ok(ok, `${label}: diagnostic '${d.message}' has an invalid range ${JSON.stringify(d.range)} (${lines.length} lines)`);
    assert.ok(typeof d.message === 'string' && d.message.length > 0 && typeof d.code === 'string', `${label}: diagnostic without message or code`);
  }
}

function parseBoth(text: string, label: string): void {
  const t0 = performance.now();
  let result;
  try {
    result = parseModel(text, { defaultName: 'fuzz', defaultSeed: 1 });
    checkRanges(text, result.diagnostics, label);
    assert.ok(result.spec || result.diagnostics.some((d) => d.severity === 'error'), `${label}: neither a model nor an error`);
    checkRanges(text, parseModelSection(text).diagnostics, `${label} (model section)`);
  } catch (e) {
    assert.fail(`${label}: the parser threw ${(e as Error).stack ?? String(e)}\n--- input (first 500 chars) ---\n${text.slice(0, 500)}`);
  }
  const ms = performance.now() - t0;
  assert.ok(ms < PER_INPUT_MS, `${label}: took ${ms.toFixed(0)} ms`);
}

test(`the parser survives ${INPUTS} generated and mutated inputs with valid ranges`, () => {
  const rng = makeRng(20261126);
  const bases = exampleTexts();
  assert.ok(bases.length >= 3, 'the examples seed the mutations');
  const asJson = bases.map((b) => {
    const r = parseModel(b, { defaultSeed: 1 });
    return r.spec ? JSON.stringify({ name: r.spec.name, data: r.spec.data, train: r.spec.train }) : b;
  });
  for (let i = 0; i < INPUTS; i++) {
    const kind = i % 10;
    const text = kind < 5 ? mutate(pick(rng, bases), rng)
      : kind < 7 ? generate(rng)
        : kind === 7 ? mutate(pick(rng, asJson), rng)
          : kind === 8 ? invalidUtf8(rng, pick(rng, bases))
            : deepNesting(rng);
    parseBoth(text, `input #${i} (kind ${kind})`);
  }
});

test('a 10 MB model file gives a diagnostic or a model in bounded time', () => {
  const layer = '    - dense: {units: 8, activation: relu}\n';
  const big = `name: big\ndata: {dataset: xor}\nmodel:\n  layers:\n${layer.repeat(Math.ceil(10e6 / layer.length))}train: {loss: binaryCrossentropy, optimizer: adam}\n`;
  assert.ok(big.length >= 10e6);
  const t0 = performance.now();
  const r = parseModel(big, { defaultSeed: 1 });
  const ms = performance.now() - t0;
  checkRanges(big, r.diagnostics, '10 MB file');
  assert.ok(ms < 60_000, `10 MB took ${ms.toFixed(0)} ms`);
  const junk = 'x: '.concat('a'.repeat(10e6));
  parseBoth(junk, '10 MB scalar');
});
