// HTML of every panel: a strict CSP (nothing but our own files, scripts only with a fresh
// nonce), no inline script or style, and no workspace text in the markup (it arrives as messages).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function trainingPanelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, { title: 'Model Lab', script: 'training.js', stylesheet: 'training.css', body: TRAINING_BODY });
}

/** Static markup of the training panel; run data arrives as messages and is set as text. */
const TRAINING_BODY = `<header>
  <h1 id="run-name"></h1>
  <span id="run-status"></span>
  <div class="stat"><span class="label">epoch</span><span class="value" id="epoch">–</span></div>
  <div class="stat"><span class="label">loss</span><span class="value" id="loss">–</span></div>
  <div class="stat"><span class="label" id="val-label">val accuracy</span><span class="value" id="val">–</span></div>
  <div class="stat"><span class="label">samples/s</span><span class="value" id="speed">–</span></div>
  <div class="stat"><span class="label">elapsed</span><span class="value" id="elapsed">–</span></div>
  <span id="backend"></span>
  <div class="actions">
    <vscode-button id="stop" secondary disabled><span class="codicon codicon-debug-stop" slot="start"></span>Stop</vscode-button>
    <vscode-button id="train-again" disabled><span class="codicon codicon-play" slot="start"></span>Train again</vscode-button>
  </div>
</header>
<nav id="inside-links" aria-label="Inside the network">
  <a href="#" data-view="weights">Weights</a> <a href="#" data-view="gradients">Gradient flow</a> <a href="#" data-view="filters">Filters</a> <a href="#" data-view="predictions">Predictions</a>
</nav>
<p id="message" role="alert"></p>
<section class="charts">
  <div class="chart"><canvas id="loss-chart" aria-label="Loss by epoch"></canvas></div>
  <div class="chart"><canvas id="acc-chart" aria-label="Accuracy by epoch"></canvas></div>
</section>`;

/**
 * A panel's page: `body` is static markup written
 * in the extension (never workspace text), `script` and `stylesheet` are files in dist/webview.
 */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, page: { title: string; script: string; stylesheet: string; body: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(extensionUri), name)).toString();
  const csp = ["default-src 'none'", `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset(page.stylesheet)}">
<title>${page.title}</title>
</head>
<body data-ready="0">
${page.body}
<script nonce="${nonce}" src="${asset(page.script)}"></script>
</body>
</html>`;
}
