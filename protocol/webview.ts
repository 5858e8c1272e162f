// Host <-> training panel messages, and the guards both ends validate them with.
import { isInsideView, type InsideView } from './inside';
import { isBatchPoint, isEpochPoint, isRankRates, isRunSnapshot, isRunStatus, isRunSummary, type BatchPoint, type EpochPoint, type RunSnapshot, type RunStatus, type RunSummary } from './run';
import { arrayOf, isObject, isString, messageReader, optional } from './guards';

export type HostToWebview =
  /** The whole run: sent when a panel (re)appears, so it never depends on retained state. */
  | { type: 'snapshot'; run: RunSnapshot }
  /** New points since the last message, for the run the panel shows. */
  | { type: 'append'; runId: string; batches: BatchPoint[]; epochs: EpochPoint[]; rankSamplesPerSec?: number[] }
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

// Guards, on both ends. A webview is untrusted: it can only ask for the actions listed here.
const isRunId = (v: unknown): v is string => isString(v) && v.length < 200;

export const asWebviewToHost = messageReader<WebviewToHost>({
  ready: () => ({ type: 'ready' }),
  stop: (v) => (isRunId(v.runId) ? { type: 'stop', runId: v.runId } : undefined),
  trainAgain: (v) => (isRunId(v.runId) ? { type: 'trainAgain', runId: v.runId } : undefined),
  showInside: (v) => (isRunId(v.runId) && isInsideView(v.view) ? { type: 'showInside', runId: v.runId, view: v.view } : undefined),
});

const hostGuards: { [K in HostToWebview['type']]: (v: Record<string, unknown>) => boolean } = {
  snapshot: (v) => isRunSnapshot(v.run),
  append: (v) => isString(v.runId) && arrayOf(isBatchPoint)(v.batches) && arrayOf(isEpochPoint)(v.epochs) && optional(isRankRates)(v.rankSamplesPerSec),
  status: (v) => isString(v.runId) && isRunStatus(v.status) && optional(isRunSummary)(v.summary) && optional(isString)(v.message),
};

export function asHostToWebview(v: unknown): HostToWebview | undefined {
  if (!isObject(v) || !isString(v.type) || !Object.hasOwn(hostGuards, v.type)) return undefined;
  return hostGuards[v.type as HostToWebview['type']](v) ? (v as unknown as HostToWebview) : undefined;
}
