// A cell's outputs for a run, live or read back from its record: the layer table and diagnostics
// (text), the curves (drawn by the Model Lab notebook renderer) and, once it ended, the final line.
import * as vscode from 'vscode';
import type { RunSnapshot } from '../../protocol/run';
import { CURVES_MIME, curvesOutput, finalMetricsLine } from '../../host/notebook/cellOutput';

export const textOutput = (text: string): vscode.NotebookCellOutput =>
  new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(text)]);

export const errorOutput = (message: string): vscode.NotebookCellOutput =>
  new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Model Lab', message })]);

export const curvesItem = (run: RunSnapshot): vscode.NotebookCellOutputItem =>
  vscode.NotebookCellOutputItem.json(curvesOutput(run), CURVES_MIME);

export const isFinished = (run: RunSnapshot): boolean => run.status === 'completed' || run.status === 'stopped' || run.status === 'failed';

/** All outputs of a cell whose run is `run`; `report` is the layer table and diagnostics text. */
export function runOutputs(run: RunSnapshot, report: string): vscode.NotebookCellOutput[] {
  const outputs = [new vscode.NotebookCellOutput([curvesItem(run)])];
  if (report) outputs.unshift(textOutput(report));
  if (isFinished(run)) outputs.push(textOutput(finalMetricsLine(run)));
  return outputs;
}
