// Commands on runs in the Runs view: open, rename, tag, pin, hide, delete (with undo), reveal the
// config. They act on the clicked run, or on every selected run when several are selected.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseTags, updateRunMeta, type RunMeta } from '../engine/runs/runMeta';
import type { RunEntry } from '../engine/runs/runList';
import { readRun } from '../engine/runs/runStore';
import { restoreRun, trashRun } from '../engine/runs/runTrash';
import type { RunManager } from './runManager';
import { ComparePanels } from './panels/compare';
import { RunsTree, type RunsNode } from './runsView';
import { registerVariants } from './variants';
import { matchesFilter } from '../host/compare/filterRuns';
import type { TrainingPanels } from './panels/training';
import { handle, runCommand } from './commandRegistry';
import type { CommandId } from './commandTable';

type Handler = (entries: RunEntry[]) => unknown;
/** The commands that act on runs picked in the Runs view. */
type RunsCommandId = Extract<CommandId, `modelLab.runs.${string}`>;

export function registerRunsCommands(tree: RunsTree, view: vscode.TreeView<RunsNode>, runs: RunManager, panels: TrainingPanels): vscode.Disposable {
  /** The runs a command applies to: the selection if the clicked node is in it, else the clicked node. */
  const targets = (node?: RunsNode, selected?: readonly RunsNode[]): RunEntry[] => {
    const pool = selected && node && selected.includes(node) ? selected : node ? [node] : view.selection;
    return pool.flatMap((n) => (n.kind === 'run' ? [n.entry] : n.group.runs));
  };
  const command = (id: RunsCommandId, handler: Handler) => handle(id, async (node?: RunsNode, selected?: readonly RunsNode[]) => {
    const entries = targets(node, selected);
    if (entries.length === 0) return;
    try {
      await handler(entries);
    } catch (e) {
      void vscode.window.showErrorMessage(`Model Lab: ${(e as Error).message}`);
    }
    tree.refresh();
  });
  const meta = (change: (m: RunMeta) => RunMeta): Handler => (entries) => entries.forEach((e) => updateRunMeta(e.dir, change));

  return vscode.Disposable.from(
    handle('modelLab.runs.refresh', () => tree.refresh()),
    handle('modelLab.runs.showHidden', () => tree.setShowHidden(true)),
    handle('modelLab.runs.hideHidden', () => tree.setShowHidden(false)),
    command('modelLab.runs.open', ([e]) => {
      if (!e) return;
      // Inside panels already open follow the run opened (extension/panels/inside.ts).
      void runCommand('modelLab.inside.showRun', e.dir, { onlyOpenPanels: true });
      const live = runs.activeRuns.find((r) => r.snapshot.runDir === e.dir);
      if (live) return panels.showRun(live, false);
      const snap = readRun(e.dir);
      if (!snap) throw new Error(`the run record ${e.dir} cannot be read any more.`);
      panels.showSnapshot(snap);
    }),
    command('modelLab.runs.showInside', ([e]) => (e ? runCommand('modelLab.inside.showRun', e.dir) : undefined)),
    command('modelLab.runs.rename', async ([e]) => {
      if (!e) return;
      const name = await vscode.window.showInputBox({ prompt: 'Name shown for this run (empty: the model name and time)', value: e.meta.displayName ?? '' });
      if (name === undefined) return;
      updateRunMeta(e.dir, (m) => {
        const { displayName: _old, ...rest } = m;
        return name.trim() ? { ...rest, displayName: name.trim() } : rest;
      });
    }),
    command('modelLab.runs.tag', async (entries) => {
      const common = entries.map((e) => e.meta.tags).reduce((a, b) => a.filter((t) => b.includes(t)));
      const text = await vscode.window.showInputBox({ prompt: `Tags for ${entries.length === 1 ? 'this run' : `${entries.length} runs`}, separated by commas`, value: common.join(', ') });
      if (text === undefined) return;
      const tags = parseTags(text);
      // Tags common to all were edited; each run keeps its own others.
      entries.forEach((e) => updateRunMeta(e.dir, (m) => ({ ...m, tags: [...new Set([...m.tags.filter((t) => !common.includes(t)), ...tags])] })));
    }),
    command('modelLab.runs.pin', meta((m) => ({ ...m, pinned: true }))),
    command('modelLab.runs.unpin', meta((m) => ({ ...m, pinned: false }))),
    command('modelLab.runs.hide', meta((m) => ({ ...m, hidden: true }))),
    command('modelLab.runs.unhide', meta((m) => ({ ...m, hidden: false }))),
    command('modelLab.runs.delete', async (entries) => {
      const busy = entries.filter((e) => runs.activeRuns.some((r) => r.snapshot.runDir === e.dir));
      if (busy.length) throw new Error('a run that is still training cannot be deleted; stop it first.');
      const trashed = entries.map((e) => trashRun(e.dir));
      tree.refresh();
      const what = entries.length === 1 ? `run ${entries[0]?.run.info.name}` : `${entries.length} runs`;
      const undo = await vscode.window.showInformationMessage(`Deleted ${what} (kept in .modellab/trash until you empty it).`, 'Undo');
      if (undo) trashed.forEach(restoreRun);
    }),
    command('modelLab.runs.revealConfig', async ([e]) => {
      if (!e) return;
      const file = ['model.yaml', 'model.json'].map((f) => join(e.dir, f)).find(existsSync);
      if (!file) throw new Error(`the run record ${e.dir} has no model file.`);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    }),
  );
}

export function registerRunsView(extensionUri: vscode.Uri, runs: RunManager, panels: TrainingPanels, log: vscode.LogOutputChannel): vscode.Disposable {
  const tree = new RunsTree(runs);
  const view = vscode.window.createTreeView('modelLab.runs', { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  const compare = new ComparePanels(extensionUri, runs, log);
  return vscode.Disposable.from(tree, view, compare, registerRunsCommands(tree, view, runs, panels), registerVariants(runs, compare, log),
    handle('modelLab.runs.compare', (node, selected) => {
      const pool = selected && node && selected.includes(node) ? selected : node ? [node] : view.selection;
      const dirs = pool.flatMap((n) => (n.kind === 'run' ? [n.entry.dir] : n.group.runs.map((r) => r.dir)));
      if (dirs.length) compare.show(dirs);
    }),
    handle('modelLab.compare', () => compareByFilter(tree, compare)),
  );
}

/** "Model Lab: Compare Runs…": a filter over every run (including hidden ones), with a live count. */
async function compareByFilter(tree: RunsTree, compare: ComparePanels): Promise<void> {
  tree.getChildren();
  const all = tree.entries;
  if (all.length === 0) {
    void vscode.window.showInformationMessage('Model Lab: no run records in this workspace yet.');
    return;
  }
  const count = (q: string) => all.filter((e) => matchesFilter(e, q)).length;
  const query = await vscode.window.showInputBox({
    title: 'Compare runs',
    prompt: 'Words that must all match: a name, #tag, status:completed, file:xor (empty: every run)',
    validateInput: (q) => {
      const n = count(q);
      return n === 0 ? 'No run matches.' : { message: `${n} run${n === 1 ? '' : 's'} match.`, severity: vscode.InputBoxValidationSeverity.Info };
    },
  });
  if (query === undefined) return;
  compare.show(all.filter((e) => matchesFilter(e, query)).sort((a, b) => a.run.info.startedAt.localeCompare(b.run.info.startedAt)).map((e) => e.dir));
}
