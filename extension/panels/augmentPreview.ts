// Model Lab: Preview Augmentation. Draws the first training images of the active model file with
// several augmented draws each, computed in the host with engine/data/preview.ts (plain JavaScript,
// the same Augmenter the training batches use). "Draw again" asks for the next random draws. The
// host keeps the view and sends it whenever the page (re)loads, so no retained context is needed;
// after a window reload the page's model file is previewed again.
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AugmentPreviewPanelState, AugmentPreviewToHost, AugmentPreviewView, HostToAugmentPreview } from '../../protocol/augmentPreview';
import { augmentPreview } from '../../engine/data/preview';
import { asAugmentPreviewToHost } from '../../protocol/augmentPreview';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
import { handle } from '../commandRegistry';
import { assertNever } from '../../common/assertNever';
import { asModelFile } from '../../host/statePaths';
import type { ControllerMessage } from '../../host/webview/panelLifecycle';
import { modelNameFromPath } from '../modelFiles';
import { activeTrustedModel } from './activeModel';
import { PanelHost, type HostedPanel } from './panelHost';

export const AUGMENT_PREVIEW_VIEW_TYPE = 'modelLab.augmentPreview';
/** The one augmentation preview of the window. */
const KEY = 'augmentPreview';
type Panel = HostedPanel<AugmentPreviewToHost, HostToAugmentPreview>;
interface Source {
  uri: vscode.Uri;
  text: string;
}

class AugmentPreviewPanel {
  readonly page = 'augmentPreview';
  readonly label = 'the augmentation preview';
  private view: AugmentPreviewView | undefined;
  private round = 0;

  constructor(private readonly panel: Panel, private readonly extensionPath: string, private source: Source) {}

  /** Previews `source` from its first draws. */
  show(source: Source): void {
    this.source = source;
    this.round = 0;
    void this.compute();
  }

  async compute(): Promise<void> {
    const asked = { source: this.source, round: this.round };
    const { uri, text } = this.source;
    const modelFile = uri.scheme === 'file' ? uri.fsPath : '';
    const parsed = await parseModelWithDataFiles(text, { defaultName: modelNameFromPath(uri.path), modelFile });
    // Another file or another draw was asked for meanwhile: that one shows.
    if (this.source !== asked.source || this.round !== asked.round) return;
    if (!parsed.spec) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      this.view = { name: modelNameFromPath(uri.path), height: 0, width: 0, channels: 1, settings: '', samples: [], message: `The model file has errors; fix them first${first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''}.` };
    } else {
      this.view = augmentPreview(parsed.spec, { datasetsDir: join(this.extensionPath, 'media', 'datasets'), modelFile }, { round: this.round });
    }
    this.panel.title = `Augmentation: ${this.view.name}`;
    this.panel.refresh();
  }

  snapshot(): HostToAugmentPreview | undefined {
    const { uri } = this.source;
    return this.view && { type: 'show', view: this.view, ...(uri.scheme === 'file' ? { modelFile: uri.fsPath } : {}) };
  }

  handle(msg: ControllerMessage<AugmentPreviewToHost>): void {
    switch (msg.type) {
      case 'redraw':
        this.round++;
        void this.compute();
        return;
      default:
        assertNever(msg.type, 'augmentation preview message');
    }
  }
}

export class AugmentPreviewPanels implements vscode.Disposable {
  private readonly host: PanelHost<string, AugmentPreviewToHost, HostToAugmentPreview, AugmentPreviewPanel>;
  private readonly command: vscode.Disposable;

  constructor(extensionUri: vscode.Uri, private readonly extensionPath: string, log: vscode.LogOutputChannel) {
    this.host = new PanelHost(AUGMENT_PREVIEW_VIEW_TYPE, { validate: asAugmentPreviewToHost, restore: (state) => this.restore(state) }, extensionUri, log);
    this.command = handle('modelLab.previewAugmentation', () => this.open());
  }

  private open(): void {
    const doc = activeTrustedModel('preview its augmentation',
      'Model Lab previews augmentation only in a trusted workspace: the preview reads the data files the model names, wherever they are.');
    if (!doc) return;
    const source = { uri: doc.uri, text: doc.getText() };
    const placement = { column: vscode.ViewColumn.Beside, preserveFocus: true };
    this.host.open(KEY, 'Augmentation', placement, (panel) => new AugmentPreviewPanel(panel, this.extensionPath, source), vscode.ViewColumn.Beside).controller.show(source);
  }

  /** After a window reload: the model file the page showed, previewed again (it reads data: trusted workspaces only). */
  private async restore(raw: unknown): Promise<{ key: string; make: (panel: Panel) => AugmentPreviewPanel } | undefined> {
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<AugmentPreviewPanelState>;
    const file = asModelFile(s.modelFile); // from the page: only a model file is read
    if (!file || !vscode.workspace.isTrusted) return undefined;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file)).then((d) => d, () => undefined);
    if (!doc) return undefined;
    const source = { uri: doc.uri, text: doc.getText() };
    return {
      key: KEY,
      make: (panel) => {
        const controller = new AugmentPreviewPanel(panel, this.extensionPath, source);
        void controller.compute();
        return controller;
      },
    };
  }

  dispose(): void {
    this.command.dispose();
    this.host.dispose();
  }
}
