// The Python that trains a PyTorch run in the editor: modelLab.pythonPath, else the interpreter the
// Python extension (ms-python.python) has chosen for the file's workspace, through its public API,
// else python3 on PATH (host/engines/python.ts decides; this file only asks VS Code).
import * as vscode from 'vscode';
import { choosePython, type PythonChoice } from '../host/engines/python';

const PYTHON_EXTENSION = 'ms-python.python';

interface EnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
  resolveEnvironment?(env: { path: string }): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
}

/** The Python extension's environments API, when it is installed and says what we expect. */
async function environments(activate = true): Promise<EnvironmentsApi | undefined> {
  const ext = vscode.extensions.getExtension<unknown>(PYTHON_EXTENSION);
  if (!ext || (!activate && !ext.isActive)) return undefined;
  try {
    const api = (ext.isActive ? ext.exports : await ext.activate()) as { environments?: Partial<EnvironmentsApi> } | undefined;
    const envs = api?.environments;
    if (typeof envs?.getActiveEnvironmentPath !== 'function') return undefined;
    listenTo(envs as EnvironmentsApi);
    return envs as EnvironmentsApi;
  } catch {
    return undefined; // its activation failed: PATH it is
  }
}

// Who hears of the Python extension's interpreter changes. The subscription is made the first time its
// API is at hand, whenever that is: usually Model Lab itself starts that extension, when a model file
// that trains on PyTorch is first checked, after these listeners were registered.
const changeListeners = new Set<() => void>();
let heard: { envs: EnvironmentsApi; subscription: vscode.Disposable | undefined } | undefined;

function listenTo(envs: EnvironmentsApi): void {
  if (heard?.envs === envs || changeListeners.size === 0) return;
  heard?.subscription?.dispose();
  heard = { envs, subscription: envs.onDidChangeActiveEnvironmentPath?.(() => changeListeners.forEach((l) => l())) };
}

async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const envs = await environments();
  if (!envs) return undefined;
  try {
    const active = envs.getActiveEnvironmentPath(resource);
    if (!active?.path) return undefined;
    const resolved = await envs.resolveEnvironment?.(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

export async function pythonFor(resource: vscode.Uri | undefined): Promise<PythonChoice> {
  const setting = vscode.workspace.getConfiguration('modelLab', resource).get<string>('pythonPath', '');
  return choosePython({ setting, pythonExtension: setting ? undefined : await pythonExtensionInterpreter(resource) });
}

export const hasPythonExtension = (): boolean => vscode.extensions.getExtension(PYTHON_EXTENSION) !== undefined;

/** "Choose Python interpreter": the Python extension's picker, else the modelLab.pythonPath setting. */
export async function choosePythonInterpreter(): Promise<void> {
  if (hasPythonExtension()) await vscode.commands.executeCommand('python.setInterpreter');
  else await vscode.commands.executeCommand('workbench.action.openSettings', 'modelLab.pythonPath');
}

/** Fires when the Python extension's chosen interpreter changes (the engine problems are looked at again),
 *  from when its API is first used or now if it is running: Model Lab does not start it for users of tfjs. */
export function onPythonChange(listener: () => void): vscode.Disposable {
  changeListeners.add(listener);
  void environments(false);
  return new vscode.Disposable(() => {
    changeListeners.delete(listener);
    if (changeListeners.size > 0) return;
    heard?.subscription?.dispose();
    heard = undefined;
  });
}
