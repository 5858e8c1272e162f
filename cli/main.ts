// `model-lab`: the command line over model/ and engine/. Same parser, same training loop and the same run
// record as the extension, for headless runs, CI and benchmarks.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { formatDiagnostic, type SpecDiagnostic } from '../model/language/diagnostic';
import { parseModelSection } from '../model/language/parse';
import { JS_MODEL_PATTERN } from '../model/language/jsModel';
import { entry, parseSource } from '../model/language/source';
import { parseModelWithDataFiles } from '../engine/data/dataFiles';
import { assetDirs } from './assets';
import { printSummary } from './summary';
import { runTrain } from './train';
import { EXPORT_USAGE, runExport } from './export';
import { runTrainPytorch } from './trainPytorch';
import { chooseEngine } from '../host/engines/engineChoice';
import { DEVICES, ENGINES, type DeviceName, type EngineName } from '../model/language/vocabulary';

const TRAIN_HELP = `  model-lab train FILE [--json] [--engine tfjs|pytorch] [--backend auto|wasm|cpu] [--workers auto|1|2] [--python PATH] [--processes N|auto] [--device auto|cpu|cuda|mps] [--join] [--join-timeout S] [--runs-dir DIR] [--no-record]

Trains the model file; prints a progress bar (elapsed, time left, samples/s) and the final
metrics, and writes the run record under DIR/.modellab/runs/ (DIR: the current folder unless
--runs-dir).
  --json       the results as JSON on stdout (final and per-epoch metrics, samples/s, run folder)
  --backend    the tfjs backend: wasm (default when it loads) or cpu
  --workers    overrides train.workers: threads training data-parallel (auto picks by model and batch size)
  --engine     overrides train.engine: tfjs (built in) or pytorch (a Python with torch >= 1.13)
  --python     the Python that runs the PyTorch engine (default: python3 on PATH)
  --processes  overrides train.processes: PyTorch processes training data-parallel on this machine
  --device     overrides train.device: where PyTorch trains (auto: cuda, then mps, then cpu)
  --join       this machine joins a run of train.nodes machines started on another one (train.rendezvous);
               it trains its share and keeps no record (the first machine shows the run)
  --join-timeout  seconds the machines have to meet at the rendezvous (default 600)
  --no-record  write no run record`;
const SUMMARY_HELP = `  model-lab summary FILE [--json]

Prints the layers with output shapes, parameters, multiply-accumulates and receptive fields, and
the conv / dense shares, with every rule the file has inputs for; a file with only a model section
(an architecture) is enough.
  --json  the table as JSON on stdout`;
const EXIT_CODES = 'Exit codes: 0 done, 1 the model file or its data has errors, 2 bad usage, 3 training failed.';

const USAGE = `Usage:
${TRAIN_HELP.split('\n')[0]}
${SUMMARY_HELP.split('\n')[0]}
${EXPORT_USAGE}

train    trains the model file (model-lab train --help)
summary  the layer table of a model file (model-lab summary --help)
export   a run as TensorBoard event files, or a model file as a Keras script (model-lab export --help)
${EXIT_CODES}`;

/** Help asked for: printed on stdout, exit 0. Anything else parseArgs returns as text is a usage error. */
class Help {
  constructor(readonly text: string) {}
}

interface Args {
  command: string;
  file: string;
  json: boolean;
  backend: 'auto' | 'wasm' | 'cpu';
  workers?: 'auto' | 1 | 2;
  engine?: EngineName;
  python?: string;
  processes?: number | 'auto';
  device?: DeviceName;
  join?: boolean;
  joinTimeoutS?: number;
  runsDir: string;
  record: boolean;
}

function parseArgs(argv: string[]): Args | Help | string {
  const [command, ...rest] = argv;
  if (!command) return USAGE;
  if (command === '--help' || command === '-h') return new Help(USAGE);
  if (command !== 'train' && command !== 'summary') return `Unknown command '${command}'.\n\n${USAGE}`;
  if (rest.includes('--help') || rest.includes('-h')) return new Help(`Usage:\n${command === 'train' ? TRAIN_HELP : SUMMARY_HELP}\n${EXIT_CODES}`);
  const args: Args = { command, file: '', json: false, backend: 'auto', runsDir: process.cwd(), record: true };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--json') args.json = true;
    else if (a === '--no-record') args.record = false;
    else if (a === '--backend') {
      const v = rest[++i];
      if (v !== 'auto' && v !== 'wasm' && v !== 'cpu') return `--backend takes auto, wasm or cpu.`;
      args.backend = v;
    } else if (a === '--workers') {
      const v = rest[++i];
      if (v !== 'auto' && v !== '1' && v !== '2') return '--workers takes auto, 1 or 2.';
      args.workers = v === 'auto' ? v : v === '1' ? 1 : 2;
    } else if (a === '--engine') {
      const v = rest[++i];
      if (!(ENGINES as readonly (string | undefined)[]).includes(v)) return `--engine takes ${ENGINES.join(' or ')}.`;
      args.engine = v as EngineName;
    } else if (a === '--python') {
      const v = rest[++i];
      if (!v) return '--python takes the path of a Python interpreter.';
      args.python = v;
    } else if (a === '--processes') {
      const v = rest[++i];
      const n = Number(v);
      if (v !== 'auto' && !(Number.isInteger(n) && n >= 1 && n <= 256)) return '--processes takes auto or a whole number from 1 to 256.';
      args.processes = v === 'auto' ? 'auto' : n;
    } else if (a === '--device') {
      const v = rest[++i];
      if (!(DEVICES as readonly (string | undefined)[]).includes(v)) return `--device takes ${DEVICES.join(', ')}.`;
      args.device = v as DeviceName;
    } else if (a === '--join') args.join = true;
    else if (a === '--join-timeout') {
      const v = rest[++i];
      const n = Number(v);
      if (!(Number.isInteger(n) && n >= 1 && n <= 86_400)) return '--join-timeout takes a whole number of seconds from 1 to 86400.';
      args.joinTimeoutS = n;
    } else if (a === '--runs-dir') {
      const v = rest[++i];
      if (!v) return '--runs-dir takes a folder.';
      args.runsDir = resolve(v);
    } else if (a.startsWith('-')) return `Unknown option '${a}'.\n\n${USAGE}`;
    else if (!args.file) args.file = a;
    else return `Only one model file, please (got '${args.file}' and '${a}').`;
  }
  if (!args.file) return `${command} needs a model file.\n\n${USAGE}`;
  return args;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'export') return runExport(argv.slice(1));
  const args = parseArgs(argv);
  if (args instanceof Help) {
    process.stdout.write(args.text + '\n');
    return 0;
  }
  if (typeof args === 'string') {
    process.stderr.write(args + '\n');
    return 2;
  }
  // A JavaScript model file is code: the CLI reads model files as data and never runs one.
  if (JS_MODEL_PATTERN.test(args.file)) {
    process.stderr.write(`${args.file}: JavaScript model files train only in the editor (Model Lab: Train Model, in a trusted workspace); the command line trains .model.yaml and .model.json files.\n`);
    return 2;
  }
  let source: string;
  try {
    source = readFileSync(args.file, 'utf8');
  } catch (e) {
    process.stderr.write(`Cannot read ${args.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const name = basename(args.file).replace(/\.model\.(ya?ml|json)$/, '');
  const report = (diagnostics: SpecDiagnostic[]) => {
    const byPlace = [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const d of byPlace) if (d.severity !== 'info' || !args.json) process.stderr.write(formatDiagnostic(args.file, d) + '\n');
  };
  if (args.command === 'summary') {
    // A whole model file gets every rule (loss, output, data); a file with only a model section
    // (an architecture to count) gets the rules about the architecture alone.
    const root = parseSource(source).root;
    const whole = root && entry(root, 'data') && entry(root, 'train');
    const full = whole ? await parseModelWithDataFiles(source, { defaultName: name, modelFile: resolve(args.file) }) : undefined;
    const section = full?.summary ? { summary: full.summary, diagnostics: full.diagnostics } : parseModelSection(source);
    report(section.diagnostics);
    if (!section.summary) return 1;
    const input = section.summary.layers[0]?.inputShape ?? [];
    printSummary(nameOf(source) ?? name, input, section.summary, args.json);
    return 0;
  }
  const parsed = await parseModelWithDataFiles(source, { defaultName: name, modelFile: resolve(args.file) });
  report(parsed.diagnostics);
  if (!parsed.spec || !parsed.summary) return 1;
  if (args.workers !== undefined) parsed.spec.train.workers = args.workers;
  // A joining machine keeps no record: the machine that started the run shows it and keeps it.
  const options = { ...assetDirs(), json: args.json, backend: args.backend, runsDir: args.record && !args.join ? args.runsDir : undefined };
  const pytorch = chooseEngine(parsed.spec, undefined, args.engine) === 'pytorch';
  if ((args.join || args.joinTimeoutS !== undefined) && !(pytorch && (parsed.spec.train.nodes ?? 1) > 1)) {
    process.stderr.write(`${args.file}: --join and --join-timeout are for a PyTorch run over several machines (train.nodes above 1, with train.rendezvous).\n`);
    return 2;
  }
  if (pytorch) {
    return runTrainPytorch(parsed.spec, source, resolve(args.file), options,
      { python: args.python, processes: args.processes, device: args.device, join: args.join, joinTimeoutS: args.joinTimeoutS });
  }
  return runTrain(parsed.spec, source, resolve(args.file), options);
}

/** The `name:` of a model file, read loosely (summary needs nothing else outside `model`). */
function nameOf(source: string): string | undefined {
  return /^name:\s*["']?([^"'#\n]+?)["']?\s*(#.*)?$/m.exec(source)?.[1];
}
