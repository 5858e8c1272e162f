// Feature maps of an example picked after a PyTorch run has ended: the runner again, in its
// serveMaps mode, loading the weights the run saved in its record (weights.json) and the data files
// it trained on, answering picks until it has been idle a while. The PyTorch counterpart of
// host/recordedMapsWorker.ts, with the same request() and dispose().
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ExamplePick, PickedMapsReply } from '../../protocol/pickedMaps';
import { parseModel } from '../../model/language/parse';
import { readRun } from '../../engine/runs/runStore';
import { recordedSource } from '../recordedMapsWorker';
import type { RunLog } from '../trainingRun';
import { PytorchConnection, runWeightsFile } from './pytorchProcess';

const IDLE_MS = 120_000;

export interface RecordedTorchMapsStart {
  runDir: string;
  modelFile: string;
  python: string;
  runnerDir: string;
  datasetsDir: string;
  log: RunLog;
  idleMs?: number;
}

/** Whether a run record was trained by the PyTorch engine. */
export function isPytorchRecord(runDir: string): boolean {
  return readRun(runDir)?.info.engine === 'pytorch';
}

type Waiting = { pick: ExamplePick; resolve: (r: PickedMapsReply | undefined) => void };

export class RecordedTorchMaps {
  private runner: PytorchConnection | undefined;
  private waiting: Waiting[] = [];
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly o: RecordedTorchMapsStart) {}

  request(pick: ExamplePick): Promise<PickedMapsReply | undefined> {
    const weightsFile = runWeightsFile(this.o.runDir);
    if (!existsSync(weightsFile)) return Promise.resolve({ pick, error: `The run record ${this.o.runDir} has no saved weights (weights.json) to compute feature maps with.` });
    const source = recordedSource(this.o.runDir);
    const spec = source !== undefined ? parseModel(source, { checkData: false }).spec : undefined;
    if (!spec) return Promise.resolve({ pick, error: `The run record ${this.o.runDir} has no model file that parses.` });
    // A newer pick replaces the older ones: nobody waits for those any more.
    for (const w of this.waiting.splice(0)) w.resolve(undefined);
    const answer = new Promise<PickedMapsReply | undefined>((resolve) => this.waiting.push({ pick, resolve }));
    const runner = this.runner ?? this.spawn(spec, weightsFile);
    runner.send({ type: 'pickMaps', pick });
    this.armIdle();
    return answer;
  }

  private spawn(spec: NonNullable<ReturnType<typeof parseModel>['spec']>, weightsFile: string): PytorchConnection {
    const o = this.o;
    const run = readRun(o.runDir);
    const dataFile = join(o.runDir, 'data.json');
    const runner = new PytorchConnection({
      python: o.python, runnerDir: o.runnerDir, runId: `${run?.info.id ?? 'run'}-maps`, spec, place: { datasetsDir: o.datasetsDir, modelFile: o.modelFile },
      dataDir: o.runDir, ...(existsSync(dataFile) ? { dataFile } : {}), device: 'cpu', topology: { processes: 1, nodes: 1 }, log: o.log,
      serveMaps: { weightsFile, epoch: run?.summary?.epochsDone, step: run && run.summary ? run.summary.epochsDone * run.info.batchesPerEpoch : undefined },
    }, {
      onMessage: (m) => {
        if (m.type === 'pickedMaps') {
          const i = this.waiting.findIndex((w) => w.pick.split === m.reply.pick.split && w.pick.index === m.reply.pick.index);
          if (i >= 0) this.waiting.splice(i, 1)[0]?.resolve(m.reply);
        } else if (m.type === 'log') o.log[m.level](`[feature maps] ${m.message}`);
        else if (m.type === 'error') this.fail(`Feature maps could not be computed: ${m.message}`);
      },
      onMalformed: () => undefined,
      onEnd: (end) => this.fail(end.kind === 'crash' ? end.message : `The PyTorch runner computing feature maps stopped (exit code ${end.code})${end.detail ? `: ${end.detail}` : ''}.`),
    });
    this.runner = runner;
    return runner;
  }

  private fail(why: string): void {
    this.runner = undefined;
    for (const w of this.waiting.splice(0)) w.resolve({ pick: w.pick, error: why });
  }

  private armIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.dispose(), this.o.idleMs ?? IDLE_MS);
    this.idle.unref?.();
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    const runner = this.runner;
    this.runner = undefined;
    for (const w of this.waiting.splice(0)) w.resolve(undefined);
    runner?.send({ type: 'stop' });
    runner?.kill();
  }
}
