// How long parse + analysis of VGG-16 takes (the work done on every keystroke in the editor and by
// `model-lab summary`): median of many runs after a warm-up. Goal: under 50 ms.
//   npm run bench:summary
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseModelSection } from '../model/language/parse';

const RUNS = 200;
const text = readFileSync(join(__dirname, '..', 'examples', 'architectures', 'vgg16.model.yaml'), 'utf8');
const files = ['vgg16', 'googlenet', 'mobilenet'].map((n) => [n, readFileSync(join(__dirname, '..', 'examples', 'architectures', `${n}.model.yaml`), 'utf8')] as const);

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Wall time, and this process's CPU time (robust when other processes load the machine). */
function time(source: string): { median: number; p90: number; cpu: number } {
  for (let i = 0; i < 20; i++) parseModelSection(source);
  const ms: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = parseModelSection(source);
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (!r.summary) throw new Error('the benchmark file has errors');
  }
  const sorted = ms.slice().sort((a, b) => a - b);
  return { median: median(ms), p90: sorted[Math.floor(sorted.length * 0.9)] as number, cpu: median(cpu) };
}

const params = parseModelSection(text).summary?.totals.params;
process.stdout.write(`parse + analysis (parseModelSection), ${RUNS} runs each; VGG-16 has ${params?.toLocaleString('en-US')} params; load average ${loadavg()[0]?.toFixed(1)}\n`);
for (const [name, source] of files) {
  const t = time(source);
  process.stdout.write(`  ${name.padEnd(10)} median ${t.median.toFixed(2)} ms (CPU ${t.cpu.toFixed(2)} ms), p90 ${t.p90.toFixed(2)} ms (${source.split('\n').length} lines)\n`);
}
