// Which Python trains a PyTorch run, and whether it can: the CLI's --python, else the setting
// modelLab.pythonPath, else the Python extension's interpreter for the workspace (asked in
// extension/, passed down), else python3 (python on Windows) on PATH. One quick subprocess checks
// `import torch` and its version; a good answer is kept per interpreter, a bad one is asked again
// (the user may have just installed torch).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface PythonChoice {
  path: string;
  /** Where the choice came from, for messages ("modelLab.pythonPath is …"). */
  from: 'cli' | 'setting' | 'python extension' | 'PATH';
}

export interface PythonSources {
  cli?: string | undefined;
  setting?: string | undefined;
  pythonExtension?: string | undefined;
}

export function choosePython(s: PythonSources, platform: NodeJS.Platform = process.platform): PythonChoice {
  if (s.cli?.trim()) return { path: s.cli.trim(), from: 'cli' };
  if (s.setting?.trim()) return { path: s.setting.trim(), from: 'setting' };
  if (s.pythonExtension?.trim()) return { path: s.pythonExtension.trim(), from: 'python extension' };
  return { path: platform === 'win32' ? 'python' : 'python3', from: 'PATH' };
}

export const MIN_TORCH = [1, 13] as const;

export type TorchCheck =
  | { ok: true; python: string; pythonVersion: string; torch: string; cuda: boolean; mps: boolean }
  | { ok: false; python: string; problem: 'no-python' | 'no-torch' | 'old-torch'; message: string };

// Prints one JSON line; an ImportError of torch is reported as such, anything else is a failure of the check.
const PROBE = [
  'import json, sys',
  'out = {"python": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable, "venv": sys.prefix != sys.base_prefix}',
  'try:',
  '    import torch',
  '    out["torch"] = torch.__version__',
  '    out["cuda"] = bool(torch.cuda.is_available())',
  '    m = getattr(torch.backends, "mps", None)',
  '    out["mps"] = bool(m and m.is_available())',
  'except ImportError as e:',
  '    out["importError"] = str(e)',
  'print(json.dumps(out))',
].join('\n');

const good = new Map<string, TorchCheck>();
/** A failed check is kept a few seconds: the editor asks on every pause in typing. */
const bad = new Map<string, { at: number; check: TorchCheck }>();
const BAD_FOR_MS = 5000;
const inFlight = new Map<string, Promise<TorchCheck>>();

/**
 * What to type to get torch for this interpreter: Debian's own Python (/usr/bin, not a venv) takes
 * the packages (pip refuses to install into it); any other takes pip.
 */
export function installCommand(python: string, executable = python, venv = false, platform: NodeJS.Platform = process.platform, debian = existsSync('/etc/debian_version')): string {
  if (platform === 'linux' && debian && !venv && /^\/usr\/bin\/python3(\.\d+)?$/.test(executable)) return 'sudo apt-get install python3-torch libopenblas0-pthread';
  return `${/\s/.test(python) ? `"${python}"` : python} -m pip install torch`;
}

/** Whether `python` runs and imports torch >= 1.13. Never throws. */
export function checkTorch(python: string, timeoutMs = 60_000): Promise<TorchCheck> {
  const known = good.get(python) ?? (Date.now() - (bad.get(python)?.at ?? -Infinity) < BAD_FOR_MS ? bad.get(python)?.check : undefined);
  if (known) return Promise.resolve(known);
  const running = inFlight.get(python);
  if (running) return running;
  const p = new Promise<TorchCheck>((resolve) => {
    execFile(python, ['-c', PROBE], { timeout: timeoutMs, windowsHide: true, encoding: 'utf8' }, (err, stdout) => {
      resolve(readProbe(python, err, stdout));
    });
  }).then((r) => {
    inFlight.delete(python);
    if (r.ok) good.set(python, r);
    else bad.set(python, { at: Date.now(), check: r });
    return r;
  });
  inFlight.set(python, p);
  return p;
}

function readProbe(python: string, err: (Error & { code?: unknown }) | null, stdout: string): TorchCheck {
  let out: { python?: string; executable?: string; venv?: boolean; torch?: string; cuda?: boolean; mps?: boolean; importError?: string } | undefined;
  try {
    out = JSON.parse(stdout.trim().split('\n').pop() ?? '') as typeof out;
  } catch {
    out = undefined;
  }
  const install = installCommand(python, out?.executable ?? python, out?.venv ?? false);
  if (!out?.python) {
    const why = err?.code === 'ENOENT' ? 'was not found' : `did not run (${(err?.message ?? 'no answer').split('\n')[0]})`;
    return { ok: false, python, problem: 'no-python', message: `The PyTorch engine needs Python 3 with torch ≥ ${MIN_TORCH.join('.')}: '${python}' ${why}. Choose a Python interpreter (modelLab.pythonPath or --python).` };
  }
  if (!out.torch) {
    return { ok: false, python, problem: 'no-torch', message: `The PyTorch engine needs torch ≥ ${MIN_TORCH.join('.')}: Python ${out.python} at '${python}' cannot import torch. Install it: ${install} (or choose another Python interpreter).` };
  }
  const [major = 0, minor = 0] = out.torch.split(/[.+]/).map(Number);
  if (major < MIN_TORCH[0] || (major === MIN_TORCH[0] && minor < MIN_TORCH[1])) {
    return { ok: false, python, problem: 'old-torch', message: `The PyTorch engine needs torch ≥ ${MIN_TORCH.join('.')}; '${python}' has torch ${out.torch}. Upgrade it: ${install.replace('pip install', 'pip install --upgrade')}.` };
  }
  return { ok: true, python, pythonVersion: out.python, torch: out.torch, cuda: !!out.cuda, mps: !!out.mps };
}
