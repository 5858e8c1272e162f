// Model Lab: Open Convolution Explorer. The page computes the convolution as the user edits
// (common/convolution.ts); the host only says what to start from (the course's example, or a trained
// model's kernel on an example it saw, from the Filters panel) and keeps the user's latest grids,
// which it sends whenever the page (re)loads. A reloaded window restores the grids the page saved.
import * as vscode from 'vscode';
import { asConvolutionToHost, isConvolutionSetup, type ConvolutionSetup, type ConvolutionToHost, type HostToConvolution } from '../../protocol/convolution';
import { courseSetup } from '../../common/convolution';
import { assertNever } from '../../common/assertNever';
import type { ControllerMessage } from '../../host/webview/panelLifecycle';
import { handle } from '../commandRegistry';
import { PanelHost, type HostedPanel } from './panelHost';

export const CONVOLUTION_VIEW_TYPE = 'modelLab.convolution';
/** One explorer per window: loading a kernel replaces what it shows. */
const KEY = 'convolution';
type Panel = HostedPanel<ConvolutionToHost, HostToConvolution>;

class ConvolutionPanel {
  readonly page = 'convolution';
  readonly label = 'the convolution explorer';

  constructor(private readonly panel: Panel, private setup: ConvolutionSetup) {}

  show(setup: ConvolutionSetup): void {
    this.setup = setup;
    this.panel.refresh();
  }

  snapshot(): HostToConvolution {
    return { type: 'show', setup: this.setup };
  }

  handle(msg: ControllerMessage<ConvolutionToHost>): void {
    switch (msg.type) {
      case 'changed':
        this.setup = msg.setup;
        return;
      default:
        assertNever(msg.type, 'convolution explorer message');
    }
  }
}

export class ConvolutionPanels implements vscode.Disposable {
  private readonly host: PanelHost<string, ConvolutionToHost, HostToConvolution, ConvolutionPanel>;
  private readonly command: vscode.Disposable;

  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel) {
    this.host = new PanelHost(CONVOLUTION_VIEW_TYPE, { validate: asConvolutionToHost, restore: async (state) => this.restore(state) }, extensionUri, log);
    // Commands can be run with anything: grids are checked like a page's message.
    this.command = handle('modelLab.openConvolution', (setup) => this.open(isConvolutionSetup(setup) ? setup : courseSetup()));
  }

  /** Opens (or reveals) the explorer on these grids. */
  open(setup: ConvolutionSetup): void {
    const placement = { column: vscode.ViewColumn.Beside, preserveFocus: false };
    const { controller, created } = this.host.open(KEY, 'Convolution', placement, (panel) => new ConvolutionPanel(panel, setup));
    if (!created) controller.show(setup);
  }

  /** After a window reload: the grids the page saved, checked like any message from a page. */
  private restore(raw: unknown): { key: string; make: (panel: Panel) => ConvolutionPanel } {
    const saved = typeof raw === 'object' && raw !== null ? (raw as { setup?: unknown }).setup : undefined;
    const setup = isConvolutionSetup(saved) ? saved : courseSetup();
    return { key: KEY, make: (panel) => new ConvolutionPanel(panel, setup) };
  }

  dispose(): void {
    this.command.dispose();
    this.host.dispose();
  }
}
