// What a model file may do in a workspace the user has not trusted (VS Code's Restricted Mode).
// A declarative model file is data: it may be analysed and trained, because training only runs
// our own code on it. What it must not do is reach outside the workspace — read a data file
// elsewhere on the disk (a model file from the internet pointing at ~/.ssh/id_rsa as "csv").
// JavaScript model files are code and never run there (extension/runManager.ts refuses them first).
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Range } from './diagnostic';
import type { DataSource, ModelSpec } from './model';

export interface TrustRefusal {
  message: string;
  range?: Range;
}

const HOW = 'Trust the workspace (Manage Workspace Trust) to allow it.';

/** Real path when the file exists (symlinks resolved), else the plain resolved path. */
function real(p: string): string {
  try {
    return existsSync(p) ? realpathSync(p) : resolve(p);
  } catch {
    return resolve(p);
  }
}

export function isInside(file: string, roots: readonly string[]): boolean {
  const f = real(file);
  return roots.some((root) => {
    const rel = relative(real(root), f);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

function paths(source: DataSource | undefined): { key: string; path: string }[] {
  if (!source) return [];
  switch (source.kind) {
    case 'csv': return [{ key: 'csv', path: source.path }];
    case 'idx': return [{ key: 'images', path: source.images }, { key: 'labels', path: source.labels }];
    case 'images': return [{ key: 'images', path: source.folder }];
  }
}

/** Why `spec` may not train in an untrusted workspace with these folders, or undefined if it may. */
export function untrustedRefusal(spec: ModelSpec, modelFile: string, workspaceRoots: readonly string[]): TrustRefusal | undefined {
  const base = modelFile ? dirname(modelFile) : workspaceRoots[0] ?? process.cwd();
  for (const source of [spec.data.source, spec.data.validation]) {
    for (const { key, path } of paths(source)) {
      const full = resolve(base, path);
      if (!isInside(full, workspaceRoots)) {
        return {
          message: `In an untrusted workspace Model Lab reads data only from inside the workspace; ${key}: ${path} is outside it. ${HOW}`,
          ...(spec.data.ranges?.[key] ? { range: spec.data.ranges[key] } : spec.data.ranges?.data ? { range: spec.data.ranges.data } : {}),
        };
      }
    }
  }
  return undefined;
}
