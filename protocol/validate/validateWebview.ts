// Validation of host <-> training panel messages, on both ends. A webview is untrusted: it can only
// ask for the actions listed here.
import type { HostToWebview, WebviewToHost } from '../webview';
import { isInsideView } from './validateInside';
import { arrayOf, isObject, isString, optional } from './guards';
import { isBatchPoint, isEpochPoint, isRunSnapshot, isRunStatus, isRunSummary } from './runShapes';

export function asWebviewToHost(v: unknown): WebviewToHost | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'ready':
      return { type: 'ready' };
    case 'stop':
    case 'trainAgain':
      return isString(v.runId) && v.runId.length < 200 ? { type: v.type, runId: v.runId } : undefined;
    case 'showInside':
      return isString(v.runId) && v.runId.length < 200 && isInsideView(v.view) ? { type: 'showInside', runId: v.runId, view: v.view } : undefined;
    default:
      return undefined;
  }
}

const hostGuards: { [K in HostToWebview['type']]: (v: Record<string, unknown>) => boolean } = {
  snapshot: (v) => isRunSnapshot(v.run),
  append: (v) => isString(v.runId) && arrayOf(isBatchPoint)(v.batches) && arrayOf(isEpochPoint)(v.epochs),
  status: (v) => isString(v.runId) && isRunStatus(v.status) && optional(isRunSummary)(v.summary) && optional(isString)(v.message),
};

export function asHostToWebview(v: unknown): HostToWebview | undefined {
  if (!isObject(v) || !isString(v.type) || !Object.hasOwn(hostGuards, v.type)) return undefined;
  return hostGuards[v.type as HostToWebview['type']](v) ? (v as unknown as HostToWebview) : undefined;
}

