// Beside every layer of a model file: its output shape and parameter count as an inlay hint, and
// a hover with the arithmetic (MACs, receptive field, the Xavier/He variance for its fan-in/out);
// over `layers:`, a CodeLens with the model's totals and its conv / dense shares.
// Only the model section is needed, so hints stay while the rest of the file is being edited.
import * as vscode from 'vscode';
import type { LayerSummary, ModelSummary } from '../model/analysis/shapes';
import { MODEL_SELECTOR } from './modelFiles';
import { hintLabel, totalsLabel } from '../model/analysis/layerLabels';
import { parsedDocument } from './parsedDocuments';

/** The model section's shapes and counts, from the version's one parse. */
const summaryOf = (doc: vscode.TextDocument): ModelSummary | undefined => parsedDocument(doc).section.summary;

const shape = (s: number[]): string => `[${s.join(', ')}]`;

function hoverText(l: LayerSummary, totals: ModelSummary['totals']): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${l.kind}** \`${l.id}\`: ${shape(l.inputShape)} → ${shape(l.outputShape)}\n\n`);
  md.appendMarkdown(`- parameters: ${l.params.toLocaleString('en-US')}${totals.params ? ` (${((100 * l.params) / totals.params).toFixed(1)}% of the model)` : ''}${l.trainable ? '' : ', frozen'}\n`);
  md.appendMarkdown(`- multiply-accumulates per example: ${l.macs.toLocaleString('en-US')}${totals.macs ? ` (${((100 * l.macs) / totals.macs).toFixed(1)}%)` : ''}; other ops: ${l.otherOps.toLocaleString('en-US')}\n`);
  if (l.receptiveField !== undefined) md.appendMarkdown(`- receptive field: ${l.receptiveField}×${l.receptiveField} input pixels\n`);
  const fanIn = l.kind === 'dense' ? l.inputShape[l.inputShape.length - 1] : undefined;
  const fanOut = l.kind === 'dense' ? l.outputShape[l.outputShape.length - 1] : undefined;
  if (fanIn && fanOut) {
    md.appendMarkdown(`- init targets for fan-in ${fanIn}, fan-out ${fanOut}: Glorot/Xavier Var = 2/(n_in+n_out) = ${(2 / (fanIn + fanOut)).toPrecision(3)}, He Var = 2/n_in = ${(2 / fanIn).toPrecision(3)}, LeCun Var = 1/n_in = ${(1 / fanIn).toPrecision(3)}\n`);
  }
  return md;
}

export function registerLayerHints(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, {
      provideCodeLenses(doc) {
        const summary = summaryOf(doc);
        const line = parsedDocument(doc).text.split('\n').findIndex((l) => /^\s*"?layers"?\s*:/.test(l));
        if (!summary || line < 0) return [];
        // No command: a line of information, not an action.
        return [new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: totalsLabel(summary.totals), command: '' })];
      },
    }),
    vscode.languages.registerInlayHintsProvider(MODEL_SELECTOR, {
      provideInlayHints(doc, range) {
        const summary = summaryOf(doc);
        if (!summary) return [];
        return summary.layers
          .filter((l) => range.contains(new vscode.Position(l.range.start.line, 0)))
          .map((l) => {
            const end = doc.lineAt(l.range.start.line).range.end;
            const hint = new vscode.InlayHint(end, hintLabel(l), vscode.InlayHintKind.Type);
            hint.paddingLeft = true;
            hint.tooltip = hoverText(l, summary.totals);
            return hint;
          });
      },
    }),
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, {
      provideHover(doc, position) {
        const summary = summaryOf(doc);
        const l = summary?.layers.find((x) => x.range.start.line === position.line && position.character >= x.range.start.character && position.character <= x.range.end.character);
        if (!l || !summary) return undefined;
        const r = l.range;
        return new vscode.Hover(hoverText(l, summary.totals), new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
      },
    }),
  );
}
