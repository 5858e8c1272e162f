// The status-bar item: the running epoch and loss of the latest run; the final result after it.
import * as vscode from 'vscode';
import { commandLink } from './commandRegistry';
import type { RunManager } from './runManager';
import type { TrainingRun } from '../host/trainingRun';
import { throttleLatest } from '../common/throttle';

export function registerStatusBar(runs: RunManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('modelLab.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Model Lab training';
  item.command = commandLink('modelLab.showPanel', 'Show Training Panel', []);
  let shown: TrainingRun | undefined;

  const render = (run: TrainingRun): void => {
    const { info, status, epochs, summary } = run.snapshot;
    const last = epochs[epochs.length - 1];
    const loss = last ? ` · loss ${last.loss.toPrecision(4)}` : '';
    if (status === 'starting' && run.snapshot.waiting) {
      // A run over several machines waits for the others: the tooltip (plain text) has the join command.
      item.text = `$(watch) ${info.name} · waiting for machines`;
      item.tooltip = run.snapshot.waiting;
    } else if (status === 'running' || status === 'starting') {
      item.text = `$(pulse) ${info.name} · epoch ${last?.epoch ?? 0}/${info.epochs}${loss}`;
      item.tooltip = `Model Lab is training ${info.name}. Click to show the training panel.`;
    } else {
      const icon = status === 'completed' ? '$(check)' : status === 'stopped' ? '$(debug-stop)' : '$(error)';
      const acc = summary?.final?.valAccuracy !== undefined ? ` · val acc ${summary.final.valAccuracy.toFixed(3)}` : loss;
      item.text = `${icon} ${info.name} · ${status}${acc}`;
      item.tooltip = summary?.error ?? `${info.name}: ${status} after ${summary?.epochsDone ?? 0} epochs.`;
    }
    item.show();
  };

  // Progress arrives up to 20 times a second; 4 renders a second are plenty for a status bar, and
  // the newest state is always rendered at the end of each quarter second.
  const renderSoon = throttleLatest((run: TrainingRun) => {
    render(run);
    sync();
  }, 250);

  const sync = (): void => {
    void vscode.commands.executeCommand('setContext', 'modelLab.training', runs.activeRuns.length > 0);
  };

  return vscode.Disposable.from(
    item,
    runs.onDidStartRun((run) => {
      shown = run;
      render(run);
      sync();
    }),
    runs.onDidChangeRun((run) => {
      if (run !== shown && shown?.active) return;
      shown = run;
      renderSoon(run);
      if (!run.active) renderSoon.flush();
    }),
    { dispose: () => renderSoon.dispose() },
  );
}
