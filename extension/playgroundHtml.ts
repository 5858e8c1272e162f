// Static markup of the optimizer playground. No workspace text here: names, formulas and numbers
// arrive as messages and are set with textContent/value by webview/playground/.
import type * as vscode from 'vscode';
import { webviewPage } from './webviewHtml';

const BODY = `
<header>
  <h1 id="title"></h1>
  <code id="formula-shown"></code>
  <div class="actions">
    <vscode-button id="open-file" secondary hidden><span class="codicon codicon-go-to-file" slot="start"></span>Open surface file</vscode-button>
  </div>
</header>
<p id="problems" role="alert"></p>
<vscode-tabs id="tabs">
  <vscode-tab-header slot="header" data-tab="paths">Optimizer paths</vscode-tab-header>
  <vscode-tab-panel>
    <div class="controls">
      <label>Surface <vscode-single-select id="surface-select"></vscode-single-select></label>
      <label class="wide">f(x, y) = <vscode-textfield id="formula-input"></vscode-textfield></label>
      <label>start x <vscode-textfield id="start-x" class="num"></vscode-textfield></label>
      <label>y <vscode-textfield id="start-y" class="num"></vscode-textfield></label>
      <label>steps <vscode-textfield id="steps" class="num"></vscode-textfield></label>
    </div>
    <p id="formula-error" role="alert"></p>
    <div id="path-rows"></div>
    <vscode-button id="add-path" secondary><span class="codicon codicon-add" slot="start"></span>Add optimizer</vscode-button>
    <div class="plot-row">
      <div class="plot"><canvas id="contour" aria-label="Contour plot of the surface with the optimizer paths"></canvas></div>
      <div class="side">
        <div class="player">
          <vscode-button id="play">Play</vscode-button>
          <input type="range" id="step-slider" min="0" max="0" value="0" aria-label="Step">
          <span id="step-label"></span>
        </div>
        <ul id="legend"></ul>
        <p id="note"></p>
      </div>
    </div>
  </vscode-tab-panel>
  <vscode-tab-header slot="header" data-tab="chain">Chain rule</vscode-tab-header>
  <vscode-tab-panel>
    <div class="controls">
      <label class="wide">f = <vscode-textfield id="chain-expr"></vscode-textfield></label>
      <label>x <vscode-textfield id="chain-x" class="num"></vscode-textfield></label>
      <label>y <vscode-textfield id="chain-y" class="num"></vscode-textfield></label>
      <label>z <vscode-textfield id="chain-z" class="num"></vscode-textfield></label>
    </div>
    <p id="chain-error" role="alert"></p>
    <svg id="chain-graph" role="img" aria-label="Computational graph with forward values and gradients"></svg>
    <p class="hint">Each node shows its value (forward pass) above and df/d(node) (backward pass) below. Going back, every edge multiplies by its gate's local derivative: the chain rule.</p>
    <p id="chain-grads"></p>
    <ul id="gate-rules"></ul>
  </vscode-tab-panel>
</vscode-tabs>`;

export function playgroundHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, { title: 'Optimizer Playground', script: 'playground.js', stylesheet: 'playground.css', body: BODY });
}
