// The optimizer playground: one panel per surface file (and one for the course example when no file
// is open). The host keeps what each panel shows (the file's config, or the settings the user last
// changed in the panel) and sends it whenever the page (re)loads; a serializer restores the panel
// after a window reload. The panel computes the surface and the paths itself, in plain numbers.
import * as vscode from 'vscode';
import type { HostToPlayground, PlaygroundConfig, PlaygroundToHost } from '../../protocol/playground';
import { SEED_CONFIG } from '../../common/playground/seedExample';
import { asSurfaceFile } from '../../host/statePaths';
import { asPlaygroundState, asPlaygroundToHost } from '../../protocol/playground';
import { assertNever } from '../../common/assertNever';
import type { ControllerMessage } from '../../host/webview/panelLifecycle';
import { isSurfaceDocument, parseSurfaceDocument } from '../surfaceFiles';
import { PanelHost, type HostedPanel } from './panelHost';
import { handle } from '../commandRegistry';

export const PLAYGROUND_VIEW_TYPE = 'modelLab.playground';
const DEFAULT_KEY = 'course-example';
const FILE_DEBOUNCE_MS = 300;
type Panel = HostedPanel<PlaygroundToHost, HostToPlayground>;

class PlaygroundPanel {
  readonly page = 'playground';
  readonly label = 'the playground';
  private problems: string[] = [];

  constructor(private readonly panel: Panel, readonly file: string | undefined, private config: PlaygroundConfig) {
    panel.title = `Playground: ${config.name}`;
  }

  /** New content from the file: a valid config replaces the shown one; problems are listed in the panel. */
  update(config: PlaygroundConfig | undefined, problems: string[]): void {
    if (config) this.config = config;
    this.problems = problems;
    this.panel.title = `Playground: ${this.config.name}`;
    this.panel.refresh();
  }

  snapshot(): HostToPlayground {
    return { type: 'load', config: this.config, problems: this.problems, ...(this.file ? { file: this.file } : {}) };
  }

  handle(msg: ControllerMessage<PlaygroundToHost>): void {
    switch (msg.type) {
      case 'changed':
        // Kept so that a hidden and shown again (or restored) panel comes back as the user left it.
        this.config = msg.config;
        return;
      case 'openFile':
        if (this.file) void vscode.window.showTextDocument(vscode.Uri.file(this.file), { viewColumn: vscode.ViewColumn.One });
        return;
      default:
        assertNever(msg, 'playground message');
    }
  }
}

export class PlaygroundPanels implements vscode.Disposable {
  private readonly host: PanelHost<string, PlaygroundToHost, HostToPlayground, PlaygroundPanel>;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    this.host = new PanelHost(PLAYGROUND_VIEW_TYPE, { validate: asPlaygroundToHost, restore: restorePlayground }, extensionUri, log);
    this.disposables.push(
      this.host,
      handle('modelLab.openPlayground', (uri) => this.open(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.fileChanged(e.document)),
    );
  }

  /** The palette command and the CodeLens: the surface file given or active, else the course example. */
  async open(uri: vscode.Uri | undefined): Promise<void> {
    const active = vscode.window.activeTextEditor?.document;
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : isSurfaceDocument(active) ? active : undefined;
    if (!doc) return this.show(DEFAULT_KEY, undefined, SEED_CONFIG);
    const { config, diagnostics } = parseSurfaceDocument(doc);
    if (!config) {
      const first = diagnostics.find((d) => d.severity === 'error');
      const where = first ? ` (line ${first.range.start.line + 1}: ${first.message})` : '';
      void vscode.window.showErrorMessage(`Model Lab: ${vscode.workspace.asRelativePath(doc.uri)} has problems${where}; see the Problems panel.`);
      return;
    }
    this.show(doc.uri.fsPath, doc.uri.fsPath, config);
  }

  private show(key: string, file: string | undefined, config: PlaygroundConfig): void {
    const placement = { column: vscode.ViewColumn.Beside, preserveFocus: false };
    const { controller, created } = this.host.open(key, `Playground: ${config.name}`, placement, (panel) => new PlaygroundPanel(panel, file, config));
    if (!created) controller.update(config, []);
  }

  /** Live: editing the surface file redraws its panel (debounced); a broken file keeps the last good plot. */
  private fileChanged(doc: vscode.TextDocument): void {
    const entry = this.host.get(doc.uri.fsPath);
    if (!entry || !isSurfaceDocument(doc)) return;
    clearTimeout(this.timers.get(doc.uri.fsPath));
    this.timers.set(doc.uri.fsPath, setTimeout(() => {
      this.timers.delete(doc.uri.fsPath);
      const { config, diagnostics } = parseSurfaceDocument(doc);
      const problems = diagnostics.filter((d) => d.severity === 'error').map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
      entry.update(config, problems);
    }, FILE_DEBOUNCE_MS));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

/** After a window reload: the settings the panel last had, else the file's, else the course example. */
async function restorePlayground(raw: unknown): Promise<{ key: string; make: (panel: Panel) => PlaygroundPanel }> {
  const state = asPlaygroundState(raw);
  // From the page: the host opens (and "Open surface file" shows) only a surface file, never another path it names.
  const file = asSurfaceFile(state.file);
  let config = state.config;
  if (!config && file) {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file)).then((d) => d, () => undefined);
    config = doc && parseSurfaceDocument(doc).config;
  }
  return { key: file ?? DEFAULT_KEY, make: (panel) => new PlaygroundPanel(panel, file, config ?? SEED_CONFIG) };
}
