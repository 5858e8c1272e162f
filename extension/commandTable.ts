// Every command the extension registers, in one table: its title, icon, where it shows (Command
// Palette, editor title, Runs view) and the arguments it takes. Registration loops over this table
// (extension/commandRegistry.ts), code runs commands through it with typed arguments, and a unit test
// (test/unit/commandTable.test.ts) keeps package.json's contributions equal to it. This file stays
// free of runtime imports so that test can read it without VS Code.
import type { Uri } from 'vscode';
import type { KeyPath } from '../model/variants/hyperparams';
import type { RunEntry, RunGroup } from '../engine/runs/runList';
import type { HostLagFigures } from '../host/benchProfile';
import type { ConvolutionSetup } from '../protocol/convolution';

export const CATEGORY = 'Model Lab';

/** The menus a command is placed in (package.json contributes.menus, besides the Command Palette). */
export type MenuId = 'editor/title' | 'view/title' | 'view/item/context';

export interface MenuPlacement {
  menu: MenuId;
  when: string;
  group: string;
}

/** A command contributed in package.json: it has a title and may show in the palette and menus. */
export interface ContributedCommand {
  title: string;
  /** Defaults to CATEGORY. */
  category?: string;
  icon?: `$(${string})`;
  /** The command runs only while this clause holds. */
  enablement?: string;
  /** In the Command Palette: always (true), never (false: it needs a run or a lens to act on), or while the clause holds. */
  palette: boolean | string;
  menus?: readonly MenuPlacement[];
}

/** A command only code calls (lenses, quick fixes, other commands): not contributed, so never in the palette. */
export interface InternalCommand {
  internal: true;
}

export type CommandSpec = ContributedCommand | InternalCommand;

const MODEL_FILE = 'editorLangId == modellab-yaml || editorLangId == modellab-json';
const TRAINABLE_FILE = `${MODEL_FILE} || resourceFilename =~ /\\.model\\.[cm]?js$/`;
const RUNS_VIEW = 'view == modelLab.runs';
/** A run (not a group of runs) in the Runs view; its context value also says pinned/unpinned and hidden/shown (runsView.ts). */
const RUN_ITEM = `${RUNS_VIEW} && viewItem =~ /modelLab.run\\b/`;

export const COMMAND_TABLE = {
  'modelLab.train': {
    title: 'Train Model', icon: '$(play)', palette: TRAINABLE_FILE,
    menus: [{ menu: 'editor/title', when: `(${TRAINABLE_FILE}) && !modelLab.training`, group: 'navigation' }],
  },
  'modelLab.findLearningRate': { title: 'Find Learning Rate', icon: '$(graph-line)', palette: MODEL_FILE },
  'modelLab.previewAugmentation': { title: 'Preview Augmentation', icon: '$(symbol-color)', palette: MODEL_FILE },
  'modelLab.stop': {
    title: 'Stop Training', icon: '$(debug-stop)', palette: 'modelLab.training',
    menus: [{ menu: 'editor/title', when: 'modelLab.training', group: 'navigation' }],
  },
  'modelLab.showPanel': { title: 'Show Training Panel', palette: true },
  'modelLab.copyCliCommand': { title: 'Copy CLI Command', icon: '$(terminal)', palette: true },
  'modelLab.showWeights': { title: 'Show Weights', palette: true },
  'modelLab.showGradientFlow': { title: 'Show Gradient Flow', palette: true },
  'modelLab.showFilters': { title: 'Show Filters', palette: true },
  'modelLab.showPredictions': { title: 'Show Predictions', palette: true },
  'modelLab.openPlayground': { title: 'Open Optimizer Playground', icon: '$(graph-line)', palette: true },
  'modelLab.openConvolution': { title: 'Open Convolution Explorer', icon: '$(symbol-array)', palette: true },
  'modelLab.newNotebook': { title: 'New Experiment Notebook', icon: '$(notebook)', palette: MODEL_FILE },
  'modelLab.runSweep': { title: 'Run Sweep', icon: '$(run-all)', palette: 'editorLangId == modellab-yaml' },
  'modelLab.tryVariant': { title: 'Try a Variant', palette: false },
  'modelLab.compare': {
    title: 'Compare Runs…', icon: '$(graph-line)', palette: true,
    menus: [{ menu: 'view/title', when: RUNS_VIEW, group: 'navigation@1' }],
  },
  'modelLab.runs.compare': {
    title: 'Compare Selected Runs', icon: '$(graph-line)', palette: false,
    menus: [{ menu: 'view/item/context', when: RUNS_VIEW, group: '0_compare@1' }],
  },
  'modelLab.exportTensorBoard': {
    title: 'Export Run to TensorBoard', palette: true,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '3_export@1' }],
  },
  'modelLab.exportModel': {
    title: 'Export Trained Model (TensorFlow.js)…', palette: true,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '3_export@2' }],
  },
  'modelLab.exportKeras': { title: 'Export as Keras Script', palette: MODEL_FILE },
  'modelLab.runs.refresh': {
    title: 'Refresh Runs', icon: '$(refresh)', palette: true,
    menus: [{ menu: 'view/title', when: RUNS_VIEW, group: 'navigation@9' }],
  },
  'modelLab.runs.showHidden': {
    title: 'Show Hidden Runs', icon: '$(eye)', palette: false,
    menus: [{ menu: 'view/title', when: `${RUNS_VIEW} && !modelLab.runs.showHidden`, group: 'navigation@8' }],
  },
  'modelLab.runs.hideHidden': {
    title: 'Leave Out Hidden Runs', icon: '$(eye-closed)', palette: false,
    menus: [{ menu: 'view/title', when: `${RUNS_VIEW} && modelLab.runs.showHidden`, group: 'navigation@8' }],
  },
  'modelLab.runs.open': {
    title: 'Open Run', palette: false,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '1_open@1' }],
  },
  'modelLab.runs.showInside': {
    title: 'Show Inside the Network', icon: '$(telescope)', palette: false,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '1_open@2' }],
  },
  'modelLab.runs.rename': {
    title: 'Rename Run…', palette: false,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '2_edit@1' }],
  },
  'modelLab.runs.tag': {
    title: 'Tag Runs…', icon: '$(tag)', palette: false,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '2_edit@2' }],
  },
  'modelLab.runs.pin': {
    title: 'Pin Run', icon: '$(pin)', palette: false,
    menus: [
      { menu: 'view/item/context', when: `${RUN_ITEM} && viewItem =~ /unpinned/`, group: 'inline@1' },
      { menu: 'view/item/context', when: `${RUN_ITEM} && viewItem =~ /unpinned/`, group: '2_edit@3' },
    ],
  },
  'modelLab.runs.unpin': {
    title: 'Unpin Run', icon: '$(pinned)', palette: false,
    menus: [
      { menu: 'view/item/context', when: `${RUN_ITEM} && viewItem =~ /\\bpinned/`, group: 'inline@1' },
      { menu: 'view/item/context', when: `${RUN_ITEM} && viewItem =~ /\\bpinned/`, group: '2_edit@3' },
    ],
  },
  'modelLab.runs.hide': {
    title: 'Hide Run', palette: false,
    menus: [{ menu: 'view/item/context', when: `${RUN_ITEM} && viewItem =~ /shown/`, group: '3_hide@1' }],
  },
  'modelLab.runs.unhide': {
    title: 'Unhide Run', palette: false,
    menus: [{ menu: 'view/item/context', when: `${RUN_ITEM} && viewItem =~ /hidden/`, group: '3_hide@1' }],
  },
  'modelLab.runs.delete': {
    title: 'Delete Run', icon: '$(trash)', palette: false,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '9_delete@1' }],
  },
  'modelLab.runs.revealConfig': {
    title: 'Show Run\'s Model File', icon: '$(go-to-file)', palette: false,
    menus: [{ menu: 'view/item/context', when: RUN_ITEM, group: '1_open@2' }],
  },
  // Hidden from the palette unless the editor was started by the bench (benchProbe.ts).
  'modelLab.internal.hostLag': { title: 'Measure Extension Host Event-Loop Lag (bench)', enablement: 'modelLab.bench', palette: 'modelLab.bench' },
  // The Runs view and the training panel show a run folder in the inside panels through this.
  'modelLab.inside.showRun': { internal: true },
  // The "Explain" quick fix of a rule's diagnostic.
  'modelLab.explainRule': { internal: true },
  // The quick fix of a PyTorch engine that finds no Python with torch (engineDiagnostics.ts).
  'modelLab.choosePythonInterpreter': { internal: true },
} satisfies Record<string, CommandSpec>;

export type CommandId = keyof typeof COMMAND_TABLE;

/** What a command is called with, and what it returns (`unknown` where nothing uses the result).
 *  Arguments are as VS Code passes them: a Runs view menu gives the clicked node and the selection;
 *  the explorer and lenses give a file's Uri; the palette gives nothing. */
export interface CommandSignatures {
  'modelLab.train': (uri?: Uri) => unknown;
  'modelLab.findLearningRate': () => unknown;
  'modelLab.previewAugmentation': () => unknown;
  'modelLab.stop': (uri?: Uri) => unknown;
  'modelLab.showPanel': (uri?: Uri) => unknown;
  'modelLab.copyCliCommand': (uri?: Uri) => Promise<string>;
  'modelLab.showWeights': (uri?: Uri) => unknown;
  'modelLab.showGradientFlow': (uri?: Uri) => unknown;
  'modelLab.showFilters': (uri?: Uri) => unknown;
  'modelLab.showPredictions': (uri?: Uri) => unknown;
  'modelLab.openPlayground': (uri?: Uri) => unknown;
  /** With grids (the Filters panel's trained kernel), else the course's example. */
  'modelLab.openConvolution': (setup?: ConvolutionSetup) => unknown;
  'modelLab.newNotebook': (uri?: Uri) => unknown;
  'modelLab.runSweep': (uri?: Uri) => unknown;
  'modelLab.tryVariant': (uri: Uri | string, path?: KeyPath, factor?: number) => unknown;
  'modelLab.compare': () => unknown;
  'modelLab.runs.compare': RunsViewCommand;
  'modelLab.exportTensorBoard': (arg?: RunsNode | Uri) => unknown;
  'modelLab.exportModel': (arg?: RunsNode | Uri) => unknown;
  'modelLab.exportKeras': (uri?: Uri) => unknown;
  'modelLab.runs.refresh': () => unknown;
  'modelLab.runs.showHidden': () => unknown;
  'modelLab.runs.hideHidden': () => unknown;
  'modelLab.runs.open': RunsViewCommand;
  'modelLab.runs.showInside': RunsViewCommand;
  'modelLab.runs.rename': RunsViewCommand;
  'modelLab.runs.tag': RunsViewCommand;
  'modelLab.runs.pin': RunsViewCommand;
  'modelLab.runs.unpin': RunsViewCommand;
  'modelLab.runs.hide': RunsViewCommand;
  'modelLab.runs.unhide': RunsViewCommand;
  'modelLab.runs.delete': RunsViewCommand;
  'modelLab.runs.revealConfig': RunsViewCommand;
  /** No argument (the palette) toggles; code says 'start' or 'stop' and gets the figures on stop. */
  'modelLab.internal.hostLag': (action?: 'start' | 'stop') => HostLagFigures | undefined;
  'modelLab.inside.showRun': (runDir: string, options?: { onlyOpenPanels?: boolean }) => unknown;
  'modelLab.explainRule': (ruleCode: string) => unknown;
  'modelLab.choosePythonInterpreter': () => unknown;
}

/** A node of the Runs view (runsView.ts), as its menus hand it to commands. */
export type RunsNode = { kind: 'group'; group: RunGroup } | { kind: 'run'; entry: RunEntry };

/** A command on runs: the node clicked (none from a keybinding: the view's selection) and every selected node. */
type RunsViewCommand = (node?: RunsNode, selected?: readonly RunsNode[]) => unknown;

// The table and the signatures name the same commands: a command added to one but not the other fails to compile.
type Missing = Exclude<CommandId, keyof CommandSignatures> | Exclude<keyof CommandSignatures, CommandId>;
export const signaturesCoverTheTable: [Missing] extends [never] ? true : Missing = true;

export type CommandArgs<K extends CommandId> = Parameters<CommandSignatures[K]>;
export type CommandResult<K extends CommandId> = ReturnType<CommandSignatures[K]>;

export const COMMAND_IDS = Object.keys(COMMAND_TABLE) as CommandId[];

export const isContributed = (spec: CommandSpec): spec is ContributedCommand => !('internal' in spec);
