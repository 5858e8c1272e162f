// The Runs view (Model Lab activity bar container): every run record of the workspace grouped by
// model file, with status, best validation metric, duration and tags. Records are the truth: the view
// re-reads them (cached by file size and time) when a run of this window changes or a record file does.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { describeRun, groupRuns, RunCatalog, runLabel, type RunEntry } from '../engine/runs/runList';
import type { RunStatus } from '../protocol/run';
import type { RunManager } from './runManager';
import { commandLink } from './commandRegistry';
import type { RunsNode } from './commandTable';

export type { RunsNode };

const STATUS_ICON: Record<RunStatus, [string, string?]> = {
  starting: ['loading~spin'], running: ['sync~spin', 'charts.blue'], completed: ['pass', 'charts.green'], stopped: ['debug-stop', 'charts.yellow'], failed: ['error', 'charts.red'],
};

export class RunsTree implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly catalog = new RunCatalog();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private showHidden = false;
  /** The entries of the last read, for commands that work on a filter rather than on a selection. */
  entries: RunEntry[] = [];

  constructor(private readonly runs: RunManager) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/.modellab/runs/*/*.json');
    this.disposables.push(
      this.changed, watcher,
      watcher.onDidCreate(() => this.refreshSoon()), watcher.onDidChange(() => this.refreshSoon()), watcher.onDidDelete(() => this.refreshSoon()),
      runs.onDidChangeRun(() => this.refreshSoon()),
    );
  }

  get hiddenShown(): boolean {
    return this.showHidden;
  }

  setShowHidden(show: boolean): void {
    this.showHidden = show;
    void vscode.commands.executeCommand('setContext', 'modelLab.runs.showHidden', show);
    this.refresh();
  }

  /** Progress messages come many times a second; the view follows at most twice a second. */
  refreshSoon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, 500);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (node?.kind === 'run') return [];
    if (node?.kind === 'group') return node.group.runs.map((entry) => ({ kind: 'run', entry }));
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    this.entries = this.catalog.read(roots).map((e) => this.withLiveStatus(e));
    return groupRuns(this.entries, this.showHidden).map((group) => ({ kind: 'group', group }));
  }

  /** A record without summary.json is a run still going (in this window) or one that died. */
  private withLiveStatus(e: RunEntry): RunEntry {
    const live = this.runs.activeRuns.find((r) => r.snapshot.runDir === e.dir);
    return live ? { ...e, run: { ...e.run, status: live.snapshot.status, summary: undefined } } : e;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const file = node.group.modelFile;
      const item = new vscode.TreeItem(file ? vscode.workspace.asRelativePath(file) : 'unsaved models', vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${file}`;
      item.description = `${node.group.runs.length} run${node.group.runs.length === 1 ? '' : 's'}`;
      item.iconPath = vscode.ThemeIcon.File;
      if (file) item.resourceUri = vscode.Uri.file(file);
      item.contextValue = 'modelLab.group';
      return item;
    }
    const e = node.entry;
    const item = new vscode.TreeItem(runLabel(e), vscode.TreeItemCollapsibleState.None);
    item.id = e.dir;
    item.description = `${e.meta.pinned ? '📌 ' : ''}${e.meta.hidden ? '(hidden) ' : ''}${describeRun(e)}`;
    const [icon, colour] = STATUS_ICON[e.run.status];
    item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
    // Plain text: run names and tags come from the workspace.
    item.tooltip = [`${e.run.info.name} (${basename(e.dir)})`, describeRun(e), `${e.run.info.dataset} · ${e.run.info.totalParams} params · backend ${e.run.info.backend}`, e.run.summary?.error ?? ''].filter(Boolean).join('\n');
    item.contextValue = ['modelLab.run', e.meta.pinned ? 'pinned' : 'unpinned', e.meta.hidden ? 'hidden' : 'shown'].join(' ');
    item.command = commandLink('modelLab.runs.open', 'Open Run', [node]);
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
