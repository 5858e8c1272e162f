// The short texts the editor shows beside a layer (inlay hint) and over `layers:` (the totals lens).
// VS Code cuts an inlay hint after 43 characters (editor.inlayHints.maximumLength), so the label
// drops what matters least until it fits: spaces in the shape first, then the MACs (the hover
// still has every number).
import { formatCount } from '../../common/formatCount';
import type { LayerSummary, ModelSummary } from './shapes';

export const HINT_MAX_LENGTH = 43;

export function hintLabel(l: Pick<LayerSummary, 'outputShape' | 'params' | 'macs'>, max = HINT_MAX_LENGTH): string {
  const spaced = `[${l.outputShape.join(', ')}]`;
  const tight = `[${l.outputShape.join(',')}]`;
  const params = `${formatCount(l.params)} params`;
  const macs = l.macs ? ` · ${formatCount(l.macs)} MACs` : '';
  const tries = [`→ ${spaced} · ${params}${macs}`, `→ ${tight} · ${params}${macs}`, `→ ${tight} · ${params}`, `→ ${tight}`];
  return tries.find((t) => t.length <= max) ?? (tries[tries.length - 1] as string).slice(0, max);
}

export function totalsLabel(t: ModelSummary['totals']): string {
  const share = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '–');
  return `Σ ${t.params.toLocaleString('en-US')} params (conv ${share(t.convParams, t.params)} · dense ${share(t.denseParams, t.params)}) · ` +
    `${formatCount(t.macs)} MACs per example (conv ${share(t.convMacs, t.macs)} · dense ${share(t.denseMacs, t.macs)})`;
}
