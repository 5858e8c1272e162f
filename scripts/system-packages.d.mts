// Types of scripts/system-packages.mjs for the TypeScript tests that import it.
export type Task = 'start' | 'test' | 'bench' | 'ci';
export const PURPOSES: Record<'editor' | 'e2e' | 'bench', string[]>;
export const BUILD_TOOLS: Record<string, string>;
export const TASKS: Record<Task, string[]>;
export function packagesFor(task: Task, hasCommand: (command: string) => boolean): string[];
export function installCommand(missing: string[], options: { root: boolean }): string;

export interface SystemPackagesPlan {
  action: 'none' | 'install' | 'stop' | 'unknown';
  packages: string[];
  missing: string[];
  sudo?: boolean;
  command?: string;
}
export function planSystemPackages(options: {
  task: Task;
  installed: (packages: string[]) => Set<string> | null;
  hasCommand: (command: string) => boolean;
  root: boolean;
  sudoWithoutPassword: () => boolean;
}): SystemPackagesPlan;

export function dpkgInstalled(
  packages: string[],
  spawn?: (command: string, args: string[], options: object) => { error?: Error; stdout?: string | null },
): Set<string> | null;

export function ensureSystemPackages(task: Task, effects?: {
  installed?: (packages: string[]) => Set<string> | null;
  hasCommand?: (command: string) => boolean;
  root?: boolean;
  sudoWithoutPassword?: () => boolean;
  run?: (command: string, args: string[], env: Record<string, string>) => number;
  log?: (message: string) => void;
  env?: Record<string, string | undefined>;
}): boolean;
