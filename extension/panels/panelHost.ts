// The one panel host: VS Code's webview panels handed to host/webview/panelRegistry.ts (create or
// reveal, restore, replace a blank panel, close) and host/webview/panelLifecycle.ts (the page,
// 'ready', validation, snapshots). Each panel of Model Lab is a controller in this folder that
// declares its view type, page, validator, snapshot and message handlers, and uses a PanelHost.
import * as vscode from 'vscode';
import type { PanelSurface } from '../../host/webview/panelLifecycle';
import type { PageMessage, PanelController } from '../../host/webview/panelLifecycle';
import { PanelRegistry, type PanelFactory, type PanelKind } from '../../host/webview/panelRegistry';
import { setPanelPage } from '../webviewHtml';

export type { Placement } from '../../host/webview/panelRegistry';
export type { PanelLifecycle as HostedPanel } from '../../host/webview/panelLifecycle';

/** A VS Code webview panel as the lifecycle sees it. */
function surfaceOf(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): PanelSurface {
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
  return {
    get visible() {
      return panel.visible;
    },
    get viewColumn() {
      return panel.viewColumn;
    },
    get title() {
      return panel.title;
    },
    set title(title: string) {
      panel.title = title;
    },
    post: (message) => void panel.webview.postMessage(message),
    loadPage: (page) => setPanelPage(panel, extensionUri, page),
    reveal: (column, preserveFocus) => panel.reveal(column, preserveFocus),
    dispose: () => panel.dispose(),
    onMessage: (listener) => panel.webview.onDidReceiveMessage(listener),
    onViewStateChange: (listener) => panel.onDidChangeViewState(() => listener()),
    onDispose: (listener) => panel.onDidDispose(listener),
  };
}

/** The panels of one view type; a restored panel of that type comes back through `kind.restore`. */
export class PanelHost<K, In extends PageMessage, Out, C extends PanelController<In, Out>> extends PanelRegistry<K, In, Out, C> implements vscode.Disposable {
  private readonly serializer: vscode.Disposable;

  constructor(readonly viewType: string, kind: PanelKind<K, In, Out, C>, extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    const factory: PanelFactory = {
      create: (title, placement) => surfaceOf(vscode.window.createWebviewPanel(viewType, title, { viewColumn: placement.column, preserveFocus: placement.preserveFocus }, {}), extensionUri),
      replacement: (old) => surfaceOf(vscode.window.createWebviewPanel(viewType, old.title, { viewColumn: old.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: true }, {}), extensionUri),
      warn: (message) => void vscode.window.showWarningMessage(`Model Lab: ${message}`),
    };
    super(kind, factory, log);
    this.serializer = vscode.window.registerWebviewPanelSerializer(viewType, {
      deserializeWebviewPanel: (panel, state: unknown) => this.restore(surfaceOf(panel, extensionUri), state),
    });
  }

  dispose(): void {
    this.closeAll();
    this.serializer.dispose();
  }
}
