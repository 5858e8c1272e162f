// Where the feature maps of an example picked in the Filters panel come from: the run's training
// worker while it trains, else a worker loading the run's saved model (one per run folder, ended
// when idle), which in an untrusted workspace may read only the data training could read.
import * as vscode from 'vscode';
import type { ExamplePick, PickedMapsReply } from '../protocol/pickedMaps';
import { parseModelWithDataFiles } from '../engine/data/dataFiles';
import { untrustedDataRefusal } from '../engine/data/trustedData';
import { runDirOf, type Source } from '../host/insideSource';
import { RecordedMapsWorker, recordedSource } from '../host/recordedMapsWorker';
import { isPytorchRecord, RecordedTorchMaps } from '../host/engines/recordedTorchMaps';
import { checkTorch } from '../host/engines/python';
import { assetDirs } from '../engine/assets';
import { pythonFor } from './pythonInterpreter';

export class InsidePicks implements vscode.Disposable {
  private readonly workers = new Map<string, Pick<RecordedMapsWorker, 'request' | 'dispose'>>();
  /** The newest answer for each recorded run folder (a run of this session keeps its own). */
  private readonly answers = new Map<string, PickedMapsReply>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    /** Tells the panels showing a recorded run folder of a new answer. */
    private readonly onRecordedAnswer: (runDir: string, reply: PickedMapsReply) => void,
  ) {}

  answer(source: Source): PickedMapsReply | undefined {
    if ('run' in source) return source.run.inside.picked;
    const dir = runDirOf(source);
    return dir ? this.answers.get(dir) : undefined;
  }

  pick(source: Source, pick: ExamplePick): void {
    void this.answerPick(source, pick);
  }

  private async answerPick(source: Source, pick: ExamplePick): Promise<void> {
    if ('run' in source && source.run.pickMaps(pick)) return;
    const dir = runDirOf(source);
    const modelFile = 'run' in source ? source.run.snapshot.info.modelFile : source.recorded.info.modelFile;
    const deliver = (reply: PickedMapsReply): void => {
      if ('run' in source) source.run.inside.setPicked(reply); // its panels hear it through the run
      else if (dir) {
        this.answers.set(dir, reply);
        this.onRecordedAnswer(dir, reply);
      }
    };
    if (!dir) return deliver({ pick, error: 'This run has no record folder, so there is no saved model to compute feature maps with.' });
    const refusal = await this.untrusted(dir, modelFile);
    if (refusal) return deliver({ pick, error: refusal });
    let worker = this.workers.get(dir);
    if (!worker) {
      const made = isPytorchRecord(dir) ? await this.torchMaps(dir, modelFile) : this.tfjsMaps(dir, modelFile);
      if (typeof made === 'string') return deliver({ pick, error: made });
      worker = this.workers.get(dir) ?? made; // another pick may have made one meanwhile
      if (worker !== made) made.dispose();
      this.workers.set(dir, worker);
    }
    // Every pick is answered (maps or why not) unless a newer one replaced it first.
    void worker.request(pick).then((reply) => reply && deliver(reply));
  }

  private tfjsMaps(dir: string, modelFile: string): RecordedMapsWorker {
    const backend = vscode.workspace.getConfiguration('modelLab').get<'auto' | 'wasm' | 'cpu'>('backend', 'auto');
    return new RecordedMapsWorker({ runDir: dir, modelFile, extensionPath: this.extensionUri.fsPath, backend, log: this.log });
  }

  /** A PyTorch run's maps come from the runner and its saved weights (host/engines/recordedTorchMaps.ts), or why they cannot. */
  private async torchMaps(dir: string, modelFile: string): Promise<RecordedTorchMaps | string> {
    const resource = modelFile ? vscode.Uri.file(modelFile) : undefined;
    if (!vscode.workspace.isTrusted) return 'The PyTorch engine does not run in Restricted Mode, so this run\'s feature maps cannot be computed. Trust the workspace (Manage Workspace Trust) to see them.';
    const python = (await pythonFor(resource)).path;
    const check = await checkTorch(python);
    if (!check.ok) return check.message;
    const { datasetsDir, runnerDir } = assetDirs(this.extensionUri.fsPath);
    return new RecordedTorchMaps({ runDir: dir, modelFile, python, runnerDir, datasetsDir, log: this.log });
  }

  /** In an untrusted workspace a recorded model file may not read data outside it (as for training). */
  private async untrusted(dir: string, modelFile: string): Promise<string | undefined> {
    if (vscode.workspace.isTrusted) return undefined;
    const source = recordedSource(dir);
    const spec = source !== undefined ? (await parseModelWithDataFiles(source, { defaultName: 'model', modelFile })).spec : undefined;
    if (!spec) return 'The recorded model file does not parse.';
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    return (await untrustedDataRefusal(spec, modelFile, roots))?.message;
  }

  dispose(): void {
    for (const w of this.workers.values()) w.dispose();
    this.workers.clear();
  }
}
