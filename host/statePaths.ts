// Paths a restored panel hands back from its saved state (vscode.setState). That state comes from
// the webview, which is untrusted: a path is used only when it names what the panel can have saved,
// a run folder (<root>/.modellab/runs/<run>), a model file or a surface file, never any other file.
import { basename, dirname, isAbsolute, join, normalize } from 'node:path';
import { RUNS_DIR } from '../engine/runs/runStore';

const MAX_PATH = 4096;

function plainAbsolute(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length < MAX_PATH && !v.includes('\0') && isAbsolute(v) && normalize(v) === v;
}

/** The run folder `v` names, or undefined when it is anything else. */
export function asRunDir(v: unknown): string | undefined {
  if (!plainAbsolute(v)) return undefined;
  const parent = dirname(v);
  return join(basename(dirname(parent)), basename(parent)) === RUNS_DIR && basename(v) !== '' && !basename(v).startsWith('.') ? v : undefined;
}

/** The declarative model file (*.model.yaml or .json) `v` names, or undefined. */
export function asModelFile(v: unknown): string | undefined {
  return plainAbsolute(v) && /\.model\.(ya?ml|json)$/.test(v) ? v : undefined;
}

/** The surface file (*.surface.yaml) `v` names, or undefined. */
export function asSurfaceFile(v: unknown): string | undefined {
  return plainAbsolute(v) && /\.surface\.ya?ml$/.test(v) ? v : undefined;
}
