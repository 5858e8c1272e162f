// What the user says about a run, kept beside the record in meta.json: a display name, tags, pinned,
// hidden. Written whole to a temporary file and renamed over the old one, so a crash leaves either
// the old or the new file, and a damaged file reads as "nothing said" rather than failing the view.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunMeta {
  displayName?: string;
  tags: string[];
  pinned: boolean;
  hidden: boolean;
}

export const META_FILE = 'meta.json';
const EMPTY: RunMeta = { tags: [], pinned: false, hidden: false };

export function readRunMeta(dir: string): RunMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, META_FILE), 'utf8'));
  } catch {
    return { ...EMPTY, tags: [] };
  }
  const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    ...(typeof m.displayName === 'string' && m.displayName.trim() ? { displayName: m.displayName } : {}),
    tags: Array.isArray(m.tags) ? m.tags.filter((t): t is string => typeof t === 'string' && t.length > 0) : [],
    pinned: m.pinned === true,
    hidden: m.hidden === true,
  };
}

/** Applies `change` to the stored meta and writes it back atomically; returns what was written. */
export function updateRunMeta(dir: string, change: (meta: RunMeta) => RunMeta): RunMeta {
  const next = change(readRunMeta(dir));
  const path = join(dir, META_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(next, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  return next;
}

/** "a, b  ,b, #c" -> ["a", "b", "c"]: tags without '#', duplicates or blanks. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((t) => t.replace(/^#/, '').trim()).filter(Boolean))];
}
