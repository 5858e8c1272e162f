// Which run a "show" command opens. The active model file names the run wanted: its newest run of
// this window, else its newest recorded run, else nothing (the caller says the file has no runs),
// never another file's run, which would show a person numbers of a model they are not looking at.
// Without a model file, this window's newest run, else the workspace's newest recorded one.

export const isModelFilePath = (path: string): boolean => /\.model\.(ya?ml|json|js|mjs|cjs)$/.test(path);

export type RunChoice<Live, Recorded> =
  | { kind: 'live'; run: Live }
  | { kind: 'recorded'; run: Recorded }
  | { kind: 'none'; file?: string };

export interface RunSources<Live, Recorded> {
  latestFor(file: string): Live | undefined;
  latest(): Live | undefined;
  /** The newest recorded run of a file, or of the workspace when no file is given. */
  recorded(file: string | undefined): Recorded | undefined;
}

export function chooseRun<Live, Recorded>(file: string | undefined, sources: RunSources<Live, Recorded>): RunChoice<Live, Recorded> {
  const model = file !== undefined && isModelFilePath(file) ? file : undefined;
  const live = model !== undefined ? sources.latestFor(model) : sources.latest();
  if (live !== undefined) return { kind: 'live', run: live };
  const recorded = sources.recorded(model);
  if (recorded !== undefined) return { kind: 'recorded', run: recorded };
  return model !== undefined ? { kind: 'none', file: model } : { kind: 'none' };
}

/** The message when nothing can be shown. */
export function noRunsMessage(file: string | undefined): string {
  if (file === undefined) return 'Model Lab: no training runs yet. Run "Model Lab: Train Model" on a model file first.';
  const name = file.split(/[\\/]/).pop() ?? file;
  return `Model Lab: ${name} has no training runs yet. Run "Model Lab: Train Model" on it first.`;
}
