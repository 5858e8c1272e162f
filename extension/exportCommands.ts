// Export commands: a run to TensorBoard event files, the trained model of a run (tfjs format) to a
// folder of the user's choice, and a model file to an equivalent Keras script (opened as an
// untitled Python document, so nothing is written until the user saves it).
import { cpSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { ExportError, readExportSource } from '../engine/export/exportSource';
import { MODEL_DIR } from '../engine/export/modelDir';
import { kerasScript } from '../engine/export/kerasScript';
import { exportRunToTensorBoard } from '../engine/export/tensorboard';
import { listRuns, runName } from '../engine/runs/runStore';
import { handle } from './commandRegistry';

/** What a command gets when run from the Runs view (a run node), the explorer (a Uri) or the palette (nothing). */
type RunArg = { kind: 'run'; entry: { dir: string } } | vscode.Uri | undefined;

const MAX_PICKS = 300;

export function registerExportCommands(log: vscode.LogOutputChannel): vscode.Disposable {
  const guarded = (id: 'modelLab.exportTensorBoard' | 'modelLab.exportModel' | 'modelLab.exportKeras', run: (arg?: unknown) => Promise<void>) => handle(id, async (arg?: unknown) => {
    try {
      await run(arg);
    } catch (e) {
      log.error(`${id}: ${(e as Error).stack ?? String(e)}`);
      void vscode.window.showErrorMessage(`Model Lab: ${(e as Error).message}`);
    }
  });
  return vscode.Disposable.from(
    guarded('modelLab.exportTensorBoard', async (arg) => {
      const dir = await runDirOf(arg as RunArg, 'Export which run to TensorBoard?');
      if (!dir) return;
      const r = exportRunToTensorBoard(dir);
      log.info(`TensorBoard: wrote ${r.file} (${r.scalars} scalars, ${r.histograms} histograms).`);
      const command = `tensorboard --logdir "${dirname(dir)}"`;
      const pick = await vscode.window.showInformationMessage(`Wrote ${basename(r.file)} in ${runName(dir)}: ${r.scalars} scalars, ${r.histograms} histograms. View with: ${command}`, 'Copy Command', 'Reveal File');
      if (pick === 'Copy Command') await vscode.env.clipboard.writeText(command);
      if (pick === 'Reveal File') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(r.file));
    }),
    guarded('modelLab.exportModel', async (arg) => {
      const dir = await runDirOf(arg as RunArg, 'Export the trained model of which run?');
      if (!dir) return;
      const model = join(dir, MODEL_DIR);
      if (!existsSync(join(model, 'model.json'))) throw new Error(`The run ${runName(dir)} has no saved model (runs save their trained model into ${MODEL_DIR}/ when training ends).`);
      const target = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Export Here', title: 'Folder for the model (model.json and its weights)' });
      const parent = target?.[0];
      if (!parent) return;
      const out = join(parent.fsPath, `${runName(dir)}-model`);
      if (existsSync(out)) throw new Error(`${out} already exists.`);
      cpSync(model, out, { recursive: true });
      void vscode.window.showInformationMessage(`Exported the model to ${out}: tf.loadLayersModel reads its model.json.`);
    }),
    guarded('modelLab.exportKeras', async (arg) => {
      const doc = await modelDocument(arg);
      if (!doc) return;
      const name = basename(doc.fileName).replace(/\.model\.(ya?ml|json)$/, '');
      let script: string;
      try {
        script = kerasScript(readExportSource(doc.getText(), name));
      } catch (e) {
        if (!(e instanceof ExportError)) throw e;
        const pick = await vscode.window.showErrorMessage(`Model Lab: cannot export ${basename(doc.fileName)} as Keras: ${e.message}`, 'Go to Line');
        if (pick) {
          const { start, end } = e.diagnostic.range;
          await vscode.window.showTextDocument(doc, { selection: new vscode.Range(start.line, start.character, end.line, end.character) });
        }
        return;
      }
      const py = await vscode.workspace.openTextDocument({ language: 'python', content: script });
      await vscode.window.showTextDocument(py, { viewColumn: vscode.ViewColumn.Beside });
    }),
  );
}

async function modelDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && /\.model\.(ya?ml|json)$/.test(doc.fileName)) return doc;
  void vscode.window.showWarningMessage('Model Lab: open a model file (*.model.yaml or *.model.json) to export it as a Keras script.');
  return undefined;
}

async function runDirOf(arg: RunArg, title: string): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (arg && typeof arg === 'object' && arg.kind === 'run') return arg.entry.dir;
  const dirs = (vscode.workspace.workspaceFolders ?? []).flatMap((f) => listRuns(f.uri.fsPath)).slice(0, MAX_PICKS);
  if (dirs.length === 0) {
    void vscode.window.showWarningMessage('Model Lab: this workspace has no recorded runs yet (.modellab/runs/). Train a model first.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(dirs.map((d) => ({ label: runName(d), description: d })), { title, matchOnDescription: true });
  return pick?.description;
}
