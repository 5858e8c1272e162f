// `npm run bench`: training speed of the shipped examples through the real training loop, on the
// wasm backend and, in the same run as the reference, on tfjs's cpu backend. Prints samples/s
// (training steps only) and the wasm/cpu ratio. Each configuration trains in a fresh process.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetDirs } from '../core/assets';
import { parseModel } from '../core/spec/parse';
import { train } from '../core/train/loop';
import { neverCancelled } from '../core/util/cancellation';

const root = join(__dirname, '..');
const CASES = [
  { file: 'examples/digits.model.yaml', epochs: 5 },
  { file: 'examples/xor.model.yaml', epochs: 30 },
];

async function measure(file: string, epochs: number, backend: 'wasm' | 'cpu'): Promise<number> {
  const text = readFileSync(join(root, file), 'utf8').replace(/epochs: \d+/, `epochs: ${epochs}`);
  const parsed = parseModel(text);
  if (!parsed.spec) throw new Error(`${file} does not parse`);
  const rates: number[] = [];
  await train(parsed.spec, {
    runId: 'bench', modelFile: file, ...assetDirs(root), backend, token: neverCancelled,
    sink: { started: () => {}, batch: () => {}, epoch: (e) => rates.push(e.samplesPerSec), log: () => {} },
  });
  rates.shift(); // the first epoch includes warm-up (kernel compilation, allocation)
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  const [, , mode, file, epochs, backend] = process.argv;
  if (mode === '--child') {
    process.stdout.write(String(await measure(file as string, Number(epochs), backend as 'wasm' | 'cpu')));
    return;
  }
  console.log(`${'model'.padEnd(30)} ${'wasm samples/s'.padStart(15)} ${'cpu samples/s'.padStart(15)} ${'wasm/cpu'.padStart(9)}`);
  for (const c of CASES) {
    const run = (backend: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', c.file, String(c.epochs), backend], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return Number(r.stdout.trim().split('\n').pop());
    };
    const wasm = run('wasm');
    const cpu = run('cpu');
    console.log(`${c.file.padEnd(30)} ${wasm.toFixed(0).padStart(15)} ${cpu.toFixed(0).padStart(15)} ${(wasm / cpu).toFixed(2).padStart(9)}`);
  }
}

void main();
