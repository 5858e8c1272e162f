// The filter of "Model Lab: Compare Runs…": words that must all match a run. `#tag` matches a tag,
// `status:completed` the status, `file:xor` the model file, anything else the run's name, display
// name, folder or model file (case-insensitive, substring).
import type { RunEntry } from '../../engine/runs/runList';

export function matchesFilter(e: RunEntry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = [e.run.info.name, e.meta.displayName ?? '', e.dir.split(/[\\/]/).pop() ?? '', e.run.info.modelFile].join('\n').toLowerCase();
  return words.every((w) => {
    if (w.startsWith('#')) return e.meta.tags.some((t) => t.toLowerCase() === w.slice(1));
    if (w.startsWith('status:')) return e.run.status === w.slice(7);
    if (w.startsWith('file:')) return e.run.info.modelFile.toLowerCase().includes(w.slice(5));
    return text.includes(w);
  });
}
