// Restricted Mode's rule for data files (model/language/trust.ts) needs to know where each path
// really is, symlinks resolved: a link inside the workspace may point out of it. Those look-ups
// touch the disk, so they are made here, asynchronously, and never on the editor's thread.
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModelSpec } from '../../model/language/model';
import { pathsToResolve, untrustedRefusal, type TrustRefusal } from '../../model/language/trust';

/** The real path when the file exists, else the plain resolved path (a missing file is judged by its name). */
async function realOrResolved(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/** Why `spec` may not train in an untrusted workspace with these folders, or undefined if it may. */
export async function untrustedDataRefusal(spec: ModelSpec, modelFile: string, workspaceRoots: readonly string[]): Promise<TrustRefusal | undefined> {
  const paths = pathsToResolve(spec, modelFile, workspaceRoots);
  const real = new Map(await Promise.all(paths.map(async (p) => [p, await realOrResolved(p)] as const)));
  return untrustedRefusal(spec, modelFile, workspaceRoots, (p) => real.get(p) ?? resolve(p));
}
