// Which engine a run uses and, for PyTorch, whether it can run here: the answer the editor shows
// as a diagnostic on the `engine:` line and the CLI prints as its one-line error.
import type { ModelSpec } from '../../model/language/model';
import type { EngineName } from '../../model/language/vocabulary';
import type { SpecDiagnostic } from '../../model/language/diagnostic';
import { entry } from '../../model/language/source';
import type { TorchCheck } from './python';

/** The CLI's --engine, else train.engine in the file, else the setting modelLab.engine, else tfjs. */
export function chooseEngine(spec: ModelSpec, setting?: string, flag?: EngineName): EngineName {
  return flag ?? spec.train.engine ?? (setting === 'pytorch' ? 'pytorch' : 'tfjs');
}

export const PYTORCH_UNAVAILABLE = 'pytorch-unavailable';
export const PYTORCH_UNTRUSTED = 'pytorch-untrusted';

/** Where an engine problem goes: the `engine:` line, else the `train` key (the engine came from the setting or the CLI). */
export function engineRange(spec: ModelSpec): SpecDiagnostic['range'] {
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const train = entry(spec.source, 'train');
  const engine = train ? entry(train.value, 'engine') : undefined;
  return engine?.value.range ?? train?.keyRange ?? zero;
}

/** The diagnostic for a Python that cannot train, or undefined when it can. */
export function torchProblem(spec: ModelSpec, check: TorchCheck): SpecDiagnostic | undefined {
  if (check.ok) return undefined;
  return { severity: 'error', code: PYTORCH_UNAVAILABLE, range: engineRange(spec), message: check.message };
}

/** In Restricted Mode no interpreter is started: the one named by workspace settings would be code from the workspace. */
export function untrustedProblem(spec: ModelSpec): SpecDiagnostic {
  return {
    severity: 'error', code: PYTORCH_UNTRUSTED, range: engineRange(spec),
    message: 'The PyTorch engine does not run in Restricted Mode: it starts a Python interpreter, which workspace settings can name. Trust this workspace (Manage Workspace Trust) to train on PyTorch, or use engine: tfjs.',
  };
}
