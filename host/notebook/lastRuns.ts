// Finds, for each cell, the newest run record that trained exactly the cell's model text. The
// record is the source of truth for outputs: a notebook file holds no outputs, so a re-opened
// notebook shows the last runs again by content, and a changed cell shows none until it runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listRuns } from '../../engine/runs/runStore';

/** Run folders (or undefined) in the order of `texts`; looks through every root's records, newest first. */
export function findLastRuns(roots: string[], texts: (string | undefined)[]): (string | undefined)[] {
  const found: (string | undefined)[] = texts.map(() => undefined);
  let missing = texts.filter((t) => t !== undefined).length;
  const dirs = roots.flatMap((root) => listRuns(root)).sort((a, b) => baseName(b).localeCompare(baseName(a)));
  for (const dir of dirs) {
    if (missing === 0) break;
    const text = recordedModel(dir);
    if (text === undefined) continue;
    texts.forEach((t, i) => {
      if (found[i] === undefined && t !== undefined && normalise(t) === normalise(text)) {
        found[i] = dir;
        missing--;
      }
    });
  }
  return found;
}

function recordedModel(dir: string): string | undefined {
  for (const name of ['model.yaml', 'model.json']) {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      /* try the other one */
    }
  }
  return undefined;
}

const baseName = (dir: string): string => dir.split(/[\\/]/).pop() ?? dir;
const normalise = (text: string): string => text.replace(/\r\n/g, '\n').trimEnd();
