// The registry of Model Lab's panels: each page's title, script, stylesheet (files in dist/webview,
// built by scripts/build.mjs) and static markup. Every panel's HTML is made from an entry here by
// host/webview/pageHtml.ts, so test/unit/webviewCsp.test.ts can render and check each one. The markup
// is written here, never taken from the workspace: names, numbers and messages arrive later as
// messages and the pages set them as text.
import type { InsideView } from '../../protocol/inside';

export interface PanelPage {
  title: string;
  /** A script in dist/webview (an entry point of scripts/build.mjs). */
  script: string;
  /** A stylesheet in dist/webview. */
  stylesheet: string;
  body: string;
}

const TRAINING_BODY = `<header>
  <h1 id="run-name"></h1>
  <span id="run-status"></span>
  <div class="stat"><span class="label">epoch</span><span class="value" id="epoch">–</span></div>
  <div class="stat"><span class="label">loss</span><span class="value" id="loss">–</span></div>
  <div class="stat"><span class="label" id="val-label">val accuracy</span><span class="value" id="val">–</span></div>
  <div class="stat"><span class="label">samples/s</span><span class="value" id="speed">–</span></div>
  <div class="stat"><span class="label">elapsed</span><span class="value" id="elapsed">–</span></div>
  <span id="backend"></span>
  <span id="rank-speeds" hidden></span>
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
  <div class="chart" id="acc-box"><canvas id="acc-chart" aria-label="Accuracy by epoch"></canvas></div>
</section>`;

const PLAYGROUND_BODY = `
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

const COMPARE_BODY = `<header>
  <h1>Compare runs</h1>
  <label>metric <select id="metric"></select></label>
  <label>smoothing <input id="smoothing" type="range" min="0" max="0.99" step="0.01"> <span id="smoothing-value"></span></label>
  <div class="actions"><button id="export-csv">Export CSV</button><button id="export-json">Export JSON</button></div>
</header>
<p id="message"></p>
<div class="chart"><canvas id="compare-chart" aria-label="Metric of the compared runs"></canvas></div>
<section id="parallel-section" hidden><div class="parallel"><canvas id="parallel" aria-label="Parallel coordinates: config keys and the best value of each run"></canvas></div></section>
<table id="config"><thead id="config-head"></thead><tbody id="config-body"></tbody></table>
<p id="config-note"></p>`;

const LR_FINDER_BODY = `<header><h1 id="name"></h1><span id="status"></span></header>
<p id="explain">Loss while the learning rate grows exponentially, one step each, from the model file's initial weights (Smith 2015). Pick a rate where the loss falls fastest, well before it blows up.</p>
<p id="message" role="alert"></p>
<div class="chart"><canvas id="chart" aria-label="Loss against learning rate"></canvas></div>
<div class="actions"><span id="suggestion"></span><vscode-button id="apply" disabled>Use as learningRate</vscode-button></div>`;

const AUGMENT_PREVIEW_BODY = `<header><h1 id="name"></h1><span id="settings"></span><vscode-button id="redraw">Draw again</vscode-button></header>
<p id="explain">Each row: a training image as stored (outlined), then the same image as six training batches could see it after data.augment.</p>
<p id="message" role="alert"></p>
<div id="grid"></div>`;

const INSIDE_TITLES: Record<InsideView, string> = { weights: 'Weights', gradients: 'Gradient Flow', filters: 'Filters', predictions: 'Predictions' };
/** The four inside views share one script; the markup says which view the page is. */
const inside = (view: InsideView): PanelPage => ({ title: `Model Lab ${INSIDE_TITLES[view]}`, script: 'inside.js', stylesheet: 'inside.css', body: `<main id="app" data-view="${view}"></main>` });

const CONVOLUTION_BODY = `<header>
  <h1>Convolution explorer</h1>
  <span id="title"></span>
  <div class="actions">
    <vscode-button id="reset" secondary><span class="codicon codicon-discard" slot="start"></span>Course example</vscode-button>
  </div>
</header>
<div class="controls">
  <label>input rows <input type="number" id="rows" min="1" max="16"></label>
  <label>columns <input type="number" id="cols" min="1" max="16"></label>
  <label>kernel size <input type="number" id="ksize" min="1" max="16"></label>
  <label>stride <input type="number" id="stride" min="1" max="8"></label>
  <label>zero padding <input type="number" id="padding" min="0" max="8"></label>
  <label><input type="checkbox" id="pool"> max pooling</label>
  <label>size <input type="number" id="pool-size" min="1" max="8"></label>
  <label>stride <input type="number" id="pool-stride" min="1" max="8"></label>
</div>
<section class="grids">
  <div><h3>Input</h3><table class="grid" id="input-grid"></table></div>
  <div><h3>Kernel</h3><table class="grid" id="kernel-grid"></table></div>
  <div><h3>Output</h3><table class="grid" id="output-grid"></table><p class="note" id="output-size"></p></div>
  <div id="pool-box"><h3>Max pooled</h3><table class="grid" id="pool-grid"></table><p class="note" id="pool-size-note"></p></div>
</section>
<p id="explain" aria-live="polite"></p>`;

export const PANEL_PAGES = {
  training: { title: 'Model Lab', script: 'training.js', stylesheet: 'training.css', body: TRAINING_BODY },
  'inside-weights': inside('weights'),
  'inside-gradients': inside('gradients'),
  'inside-filters': inside('filters'),
  'inside-predictions': inside('predictions'),
  compare: { title: 'Compare runs', script: 'compare.js', stylesheet: 'compare.css', body: COMPARE_BODY },
  playground: { title: 'Optimizer Playground', script: 'playground.js', stylesheet: 'playground.css', body: PLAYGROUND_BODY },
  lrFinder: { title: 'Find Learning Rate', script: 'lrFinder.js', stylesheet: 'lrFinder.css', body: LR_FINDER_BODY },
  augmentPreview: { title: 'Augmentation', script: 'augmentPreview.js', stylesheet: 'augmentPreview.css', body: AUGMENT_PREVIEW_BODY },
  convolution: { title: 'Convolution explorer', script: 'convolution.js', stylesheet: 'convolution.css', body: CONVOLUTION_BODY },
} as const satisfies Record<string, PanelPage>;

export type PanelPageId = keyof typeof PANEL_PAGES;

export const insidePageId = (view: InsideView): PanelPageId => `inside-${view}`;
