// The optimizer playground: one panel per surface file (and one for the course example when no file
// is open). The host keeps what each panel shows (the file's config, or the settings the user last
// changed in the panel) and sends it whenever the page (re)loads; a serializer restores the panel
// after a window reload. The panel computes the surface and the paths itself, in plain numbers.
import * as vscode from 'vscode';
import { type HostToPlayground, type PlaygroundConfig, asPlaygroundState, asPlaygroundToHost } from '../protocol/playground';
import { SEED_CONFIG } from '../common/playground/seedExample';
import { asSurfaceFile } from '../host/statePaths';
import { assertNever } from '../common/assertNever';
import { isSurfaceDocument, parseSurfaceDocument } from './surfaceFiles';
import { setPanelPage } from './webviewHtml';
import { handle } from './commandRegistry';

export const PLAYGROUND_VIEW_TYPE = 'modelLab.playground';
const DEFAULT_KEY = 'course-example';
const FILE_DEBOUNCE_MS = 300;

class PlaygroundPanel implements vscode.Disposable {
  private ready = false;
  private problems: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly file: string | undefined,
    private config: PlaygroundConfig,
    private readonly log: vscode.LogOutputChannel,
    onDispose: () => void,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.title = `Playground: ${config.name}`;
    setPanelPage(panel, extensionUri, 'playground');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; its next page load says 'ready' again.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  /** New content from the file: a valid config replaces the shown one; problems are listed in the panel. */
  update(config: PlaygroundConfig | undefined, problems: string[]): void {
    if (config) this.config = config;
    this.problems = problems;
    this.panel.title = `Playground: ${this.config.name}`;
    this.send();
  }

  private send(): void {
    if (!this.ready) return;
    const m: HostToPlayground = { type: 'load', config: this.config, problems: this.problems, ...(this.file ? { file: this.file } : {}) };
    void this.panel.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    const msg = asPlaygroundToHost(raw);
    if (!msg) {
      this.log.warn(`Dropped a malformed message from the playground: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.send();
        return;
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

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export class PlaygroundPanels implements vscode.Disposable {
  private readonly panels = new Map<string, PlaygroundPanel>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      handle('modelLab.openPlayground', (uri) => this.open(uri)),
      vscode.window.registerWebviewPanelSerializer(PLAYGROUND_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
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
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal(undefined, false);
      existing.update(config, []);
      return;
    }
    const panel = vscode.window.createWebviewPanel(PLAYGROUND_VIEW_TYPE, `Playground: ${config.name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {});
    this.track(key, panel, file, config);
  }

  private track(key: string, panel: vscode.WebviewPanel, file: string | undefined, config: PlaygroundConfig): PlaygroundPanel {
    const entry = new PlaygroundPanel(panel, this.extensionUri, file, config, this.log, () => this.panels.delete(key));
    this.panels.set(key, entry);
    return entry;
  }

  /** Live: editing the surface file redraws its panel (debounced); a broken file keeps the last good plot. */
  private fileChanged(doc: vscode.TextDocument): void {
    const entry = this.panels.get(doc.uri.fsPath);
    if (!entry || !isSurfaceDocument(doc)) return;
    clearTimeout(this.timers.get(doc.uri.fsPath));
    this.timers.set(doc.uri.fsPath, setTimeout(() => {
      this.timers.delete(doc.uri.fsPath);
      const { config, diagnostics } = parseSurfaceDocument(doc);
      const problems = diagnostics.filter((d) => d.severity === 'error').map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
      entry.update(config, problems);
    }, FILE_DEBOUNCE_MS));
  }

  /** After a window reload: the settings the panel last had, else the file's, else the course example. */
  private async restore(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const state = asPlaygroundState(raw);
    // From the page: the host opens (and "Open surface file" shows) only a surface file, never another path it names.
    const file = asSurfaceFile(state.file);
    let config = state.config;
    if (!config && file) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file)).then((d) => d, () => undefined);
      config = doc && parseSurfaceDocument(doc).config;
    }
    const key = file ?? DEFAULT_KEY;
    if (this.panels.has(key)) {
      panel.dispose(); // already open again (the command ran before the restore)
      return;
    }
    this.track(key, panel, file, config ?? SEED_CONFIG);
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
