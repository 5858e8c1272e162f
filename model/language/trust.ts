// What a model file may do in a workspace the user has not trusted (VS Code's Restricted Mode).
// A declarative model file is data: it may be analysed and trained, because training only runs
// our own code on it. What it must not do is reach outside the workspace — read a data file
// elsewhere on the disk (a model file from the internet pointing at ~/.ssh/id_rsa as "csv").
// JavaScript model files are code and never run there (extension/runManager.ts refuses them first).
// The disk is not read here: the caller says where each path really is (symlinks resolved), and
// engine/data/trustedData.ts looks that up asynchronously.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Range } from './diagnostic';
import type { DataSource, ModelSpec } from './model';

export interface TrustRefusal {
  message: string;
  range?: Range;
}

const HOW = 'Trust the workspace (Manage Workspace Trust) to allow it.';

/** Where a path really is: its real path when it exists (symlinks resolved), else the plain resolved path. */
export type RealPath = (path: string) => string;

export function isInside(file: string, roots: readonly string[], real: RealPath): boolean {
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

function dataPaths(spec: ModelSpec, modelFile: string, workspaceRoots: readonly string[]): { key: string; path: string; full: string }[] {
  const base = modelFile ? dirname(modelFile) : workspaceRoots[0] ?? process.cwd();
  return [spec.data.source, spec.data.validation].flatMap((source) => paths(source).map((p) => ({ ...p, full: resolve(base, p.path) })));
}

/** The paths whose real location untrustedRefusal asks for: the workspace folders and the data files. */
export function pathsToResolve(spec: ModelSpec, modelFile: string, workspaceRoots: readonly string[]): string[] {
  return [...workspaceRoots, ...dataPaths(spec, modelFile, workspaceRoots).map((p) => p.full)];
}

/** Why `spec` may not train in an untrusted workspace with these folders, or undefined if it may. */
export function untrustedRefusal(spec: ModelSpec, modelFile: string, workspaceRoots: readonly string[], real: RealPath): TrustRefusal | undefined {
  for (const { key, path, full } of dataPaths(spec, modelFile, workspaceRoots)) {
    if (!isInside(full, workspaceRoots, real)) {
      return {
        message: `In an untrusted workspace Model Lab reads data only from inside the workspace; ${key}: ${path} is outside it. ${HOW}`,
        ...(spec.data.ranges?.[key] ? { range: spec.data.ranges[key] } : spec.data.ranges?.data ? { range: spec.data.ranges.data } : {}),
      };
    }
  }
  return undefined;
}
