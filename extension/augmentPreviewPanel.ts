// Model Lab: Preview Augmentation. Draws the first training images of the active model file with
// several augmented draws each, computed in the host with engine/data/preview.ts (plain JavaScript,
// the same Augmenter the training batches use). "Draw again" asks for the next random draws. The
// host keeps the view and sends it whenever the page (re)loads, so no retained context is needed.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { refuseInRestrictedMode } from './restrictedMode';
import { type AugmentPreviewView, type HostToAugmentPreview, asAugmentPreviewToHost } from '../protocol/augmentPreview';
import { augmentPreview } from '../engine/data/preview';
import { parseModelWithDataFiles } from '../engine/data/dataFiles';
import { assertNever } from '../common/assertNever';
import { isModelDocument, modelNameFromPath } from './modelFiles';
import { setPanelPage } from './webviewHtml';
import { handle } from './commandRegistry';

export const AUGMENT_PREVIEW_VIEW_TYPE = 'modelLab.augmentPreview';

export class AugmentPreviewPanels implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private view: AugmentPreviewView | undefined;
  private ready = false;
  private round = 0;
  private source: { uri: vscode.Uri; text: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly extensionPath: string, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(handle('modelLab.previewAugmentation', () => this.open()));
  }

  private open(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!isModelDocument(doc)) {
      void vscode.window.showWarningMessage('Open a model file (*.model.yaml or *.model.json) to preview its augmentation.');
      return;
    }
    if (!vscode.workspace.isTrusted) {
      void refuseInRestrictedMode('Model Lab previews augmentation only in a trusted workspace: the preview reads the data files the model names, wherever they are.');
      return;
    }
    this.source = { uri: doc.uri, text: doc.getText() };
    this.round = 0;
    if (!this.panel) this.create();
    else this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.compute();
  }

  private create(): void {
    const panel = vscode.window.createWebviewPanel(AUGMENT_PREVIEW_VIEW_TYPE, 'Augmentation', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    setPanelPage(panel, this.extensionUri, 'augmentPreview');
    this.ready = false;
    this.panel = panel;
    const subs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    ];
    panel.onDidDispose(() => {
      for (const s of subs) s.dispose();
      this.panel = undefined;
      this.view = undefined;
    });
  }

  private async compute(): Promise<void> {
    if (!this.source || !this.panel) return;
    const asked = { source: this.source, round: this.round };
    const { uri, text } = this.source;
    const modelFile = uri.scheme === 'file' ? uri.fsPath : '';
    const parsed = await parseModelWithDataFiles(text, { defaultName: modelNameFromPath(uri.path), modelFile });
    // Another file or another draw was asked for meanwhile, or the panel closed: that one shows.
    if (this.source !== asked.source || this.round !== asked.round || !this.panel) return;
    if (!parsed.spec) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      this.view = { name: modelNameFromPath(uri.path), height: 0, width: 0, channels: 1, settings: '', samples: [], message: `The model file has errors; fix them first${first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''}.` };
    } else {
      this.view = augmentPreview(parsed.spec, { datasetsDir: join(this.extensionPath, 'media', 'datasets'), modelFile }, { round: this.round });
    }
    this.panel.title = `Augmentation: ${this.view.name}`;
    this.send();
  }

  private send(): void {
    if (!this.ready || !this.panel?.visible || !this.view) return;
    const m: HostToAugmentPreview = { type: 'show', view: this.view };
    void this.panel.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    const msg = asAugmentPreviewToHost(raw);
    if (!msg) {
      this.log.warn(`Dropped a malformed message from the augmentation preview: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.send();
        return;
      case 'redraw':
        this.round++;
        void this.compute();
        return;
      default:
        assertNever(msg, 'augmentation preview message');
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
