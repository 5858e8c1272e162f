// Host <-> training panel messages. Validated on arrival by protocol/validate/validateWebview.ts.
import type { InsideView } from './inside';
import type { BatchPoint, EpochPoint, RunSnapshot, RunStatus, RunSummary } from './run';

export type HostToWebview =
  /** The whole run: sent when a panel (re)appears, so it never depends on retained state. */
  | { type: 'snapshot'; run: RunSnapshot }
  /** New points since the last message, for the run the panel shows. */
  | { type: 'append'; runId: string; batches: BatchPoint[]; epochs: EpochPoint[] }
  | { type: 'status'; runId: string; status: RunStatus; summary?: RunSummary; message?: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'stop'; runId: string }
  | { type: 'trainAgain'; runId: string }
  /** Open an inside panel (Weights, Gradient Flow, Filters, Predictions) on this run. */
  | { type: 'showInside'; runId: string; view: InsideView };

/** What the panel keeps with vscode.setState so a reloaded window can find the run again. */
export interface TrainingPanelState {
  runId: string;
  runDir?: string;
  modelFile?: string;
}
