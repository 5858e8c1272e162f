// The text edits of a training diagnostic's quick fix (TrainingDiagnostic.fix: set one option of some
// layers), computed on the file as it is now, in the file's own style (model/rules/edits.ts).
import type { SpecTextEdit } from '../model/language/diagnostic';
import type { ModelSpec } from '../model/language/model';
import { setLayerOption } from '../model/rules/edits';
import type { TrainingDiagnostic } from '../protocol/stats';

/** undefined when a layer has gone or is written in a form that cannot be edited safely. */
export function trainingFixEdits(spec: ModelSpec, text: string, fix: NonNullable<TrainingDiagnostic['fix']>): SpecTextEdit[] | undefined {
  const edits: SpecTextEdit[] = [];
  for (const index of fix.layers) {
    const layer = spec.model.layers[index];
    if (!layer) return undefined;
    const edit = setLayerOption({ spec, text }, layer, fix.key, fix.value);
    if (!edit) return undefined;
    edits.push(...edit);
  }
  return edits;
}
