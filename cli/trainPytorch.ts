// `model-lab train FILE --engine pytorch`: checks the interpreter and torch (one line and exit 1 when
// it cannot train, as for any problem of the model file), then trains through the runner with the
// same progress bar, run record and JSON as the tfjs engine (cli/train.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelSpec } from '../model/language/model';
import type { DeviceName } from '../model/language/vocabulary';
import { formatDiagnostic } from '../model/language/diagnostic';
import { checkTorch, choosePython } from '../host/engines/python';
import { torchProblem } from '../host/engines/engineChoice';
import { writeEngineFiles } from '../host/engines/engineFiles';
import { PytorchConnection } from '../host/engines/pytorchProcess';
import { resolveTopology } from '../host/engines/pytorchLaunch';
import { trainThrough } from '../host/engines/connectionTrainer';
import { runTrain, type CliTrainOptions } from './train';

export interface PytorchFlags {
  python?: string | undefined;
  processes?: number | 'auto' | undefined;
  device?: DeviceName | undefined;
  /** This machine joins a multi-machine run started elsewhere (--join). */
  join?: boolean | undefined;
  joinTimeoutS?: number | undefined;
}

export async function runTrainPytorch(spec: ModelSpec, source: string, modelFile: string, o: CliTrainOptions & { runnerDir: string }, flags: PytorchFlags): Promise<number> {
  const python = choosePython({ cli: flags.python });
  const check = await checkTorch(python.path);
  const problem = torchProblem(spec, check);
  if (problem) {
    process.stderr.write(formatDiagnostic(modelFile, problem) + '\n');
    return 1;
  }
  const topology = resolveTopology(spec, flags.processes, { join: flags.join, joinTimeoutS: flags.joinTimeoutS });
  return runTrain(spec, source, modelFile, {
    ...o,
    trainer: async (sink, token, run) => {
      // Unrecorded runs (--no-record) keep their data files in a temporary folder, removed after.
      const scratch = run.runDir ? undefined : mkdtempSync(join(tmpdir(), 'modellab-torch-'));
      const dataDir = run.runDir ?? (scratch as string);
      try {
        const place = { datasetsDir: o.datasetsDir, modelFile };
        // The data and, beside it, the initial weights a tfjs run of this file and seed starts from.
        const files = await writeEngineFiles(spec, place, dataDir, o.wasmDir);
        const log = { info: () => undefined, warn: (m: string) => { if (!o.json) process.stderr.write(`${m}\n`); } };
        return await trainThrough((h) => new PytorchConnection({
          python: python.path, runnerDir: o.runnerDir, runId: run.runId, spec, place, dataDir, dataFile: files.dataFile, initialWeightsFile: files.weightsFile, runDir: run.runDir,
          device: flags.device ?? spec.train.device ?? 'auto', topology, log,
        }, h), sink, token);
      } finally {
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    },
  });
}
