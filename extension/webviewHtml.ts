// The one way a panel gets its page: the webview options (scripts, no command links, files only from
// dist/webview) and the HTML of its registry entry, with a strict CSP and a fresh nonce. The page
// itself is built without VS Code in host/webview/pageHtml.ts, where test/unit/webviewCsp.test.ts
// checks every panel's; no other file may set a webview's html or options (that test greps for it).
import * as vscode from 'vscode';
import { WEBVIEW_ASSETS_PATH, panelPageHtml, panelWebviewOptions } from '../host/webview/pageHtml';
import type { PanelPageId } from '../host/webview/panelPages';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, ...WEBVIEW_ASSETS_PATH);
}

/** Sets the panel's webview options and its page `id` (from host/webview/panelPages.ts). */
export function setPanelPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, id: PanelPageId): void {
  const webview = panel.webview;
  webview.options = panelWebviewOptions(extensionUri, vscode.Uri.joinPath);
  webview.html = panelPageHtml(id, {
    cspSource: webview.cspSource,
    assetUri: (name) => webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), name)).toString(),
  });
}
