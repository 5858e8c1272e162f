// A problem found while loading the user's data (a ragged CSV row, a label the loss cannot take,
// images of mixed sizes) as a training diagnostic on the `data` key it comes from, so it shows in
// the Problems panel on that line, and clears when the data section is edited.
import type { TrainingDiagnostic } from '../../protocol/stats';
import type { ModelSpec } from '../../model/language/model';
import { anchorRange, fingerprint } from '../../model/language/anchors';

export function dataDiagnostic(spec: ModelSpec, message: string, key: string | undefined): TrainingDiagnostic {
  const anchor = key ? ['data', key] : ['data'];
  const answers = [['data']];
  return {
    severity: 'error', code: 'data-error', message, anchor, answers,
    range: anchorRange(spec.source, anchor), answered: fingerprint(spec.source, answers),
  };
}
