// `model-lab export`: a recorded run to TensorBoard event files, or a model file to a Keras script.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ExportError, readExportSource } from '../engine/export/exportSource';
import { kerasScript } from '../engine/export/kerasScript';
import { exportRunToTensorBoard } from '../engine/export/tensorboard';

export const EXPORT_USAGE = `  model-lab export --tensorboard RUN_DIR
  model-lab export --keras FILE [--out SCRIPT.py]`;

const HELP = `export   --tensorboard RUN_DIR writes the run's metrics (and layer histograms, when it has
         statistics) as a TensorBoard event file in RUN_DIR; then: tensorboard --logdir RUN_DIR/..
         --keras FILE prints an equivalent Keras 3 Python script (or writes it to --out).`;

/** Exit codes as the other commands: 0 done, 1 the input has errors, 2 bad usage. */
export function runExport(argv: string[]): number {
  const usage = (msg: string): number => {
    process.stderr.write(`${msg}\n\nUsage:\n${EXPORT_USAGE}\n\n${HELP}\n`);
    return 2;
  };
  const [mode, target, ...rest] = argv;
  if (mode === '--help' || mode === '-h') {
    process.stdout.write(`Usage:\n${EXPORT_USAGE}\n\n${HELP}\n`);
    return 0;
  }
  if (!target) return usage(mode === '--tensorboard' ? '--tensorboard needs a run folder.' : mode === '--keras' ? '--keras needs a model file.' : 'export needs --tensorboard or --keras.');
  if (mode === '--tensorboard') {
    if (rest.length) return usage(`Unexpected '${rest[0]}'.`);
    const dir = resolve(target);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return usage(`${target} is not a folder.`);
    try {
      const r = exportRunToTensorBoard(dir);
      process.stdout.write(`Wrote ${r.file}: ${r.scalars} scalars, ${r.histograms} histograms.\nView with: tensorboard --logdir ${resolve(dir, '..')}\n`);
      return 0;
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      return 1;
    }
  }
  if (mode === '--keras') {
    let out: string | undefined;
    if (rest[0] === '--out' && rest[1] && rest.length === 2) out = rest[1];
    else if (rest.length) return usage(`Unexpected '${rest[0]}'.`);
    let source: string;
    try {
      source = readFileSync(target, 'utf8');
    } catch (e) {
      return usage(`Cannot read ${target}: ${(e as Error).message}`);
    }
    try {
      const script = kerasScript(readExportSource(source, basename(target).replace(/\.model\.(ya?ml|json)$/, '')));
      if (out) writeFileSync(out, script);
      else process.stdout.write(script);
      return 0;
    } catch (e) {
      process.stderr.write(`${target}:${e instanceof ExportError ? ` ${e.message}` : ` ${(e as Error).message}`}\n`);
      return 1;
    }
  }
  return usage(`Unknown export option '${mode}'.`);
}
