// Hover on the engine keys of `train` (engine, device, processes, nodes, rendezvous): what each
// means, and on `engine: pytorch` which interpreter would train and its torch version.
import * as vscode from 'vscode';
import { ENGINE_KEYS, ENGINE_KEY_DOCS } from '../model/language/readEngine';
import { entry } from '../model/language/source';
import { checkTorch } from '../host/engines/python';
import { MODEL_SELECTOR } from './modelFiles';
import { parsedDocument } from './parsedDocuments';
import { pythonFor } from './pythonInterpreter';

const isEngineKey = (k: string): k is (typeof ENGINE_KEYS)[number] => (ENGINE_KEYS as readonly string[]).includes(k);

export function registerEngineHover(): vscode.Disposable {
  return vscode.languages.registerHoverProvider(MODEL_SELECTOR, {
    async provideHover(doc, position) {
      if (!/\b(engine|device|processes|nodes|rendezvous)\b/.test(doc.lineAt(position.line).text)) return undefined; // cheap test first
      const root = parsedDocument(doc).full.spec?.source;
      const train = root ? entry(root, 'train')?.value : undefined;
      const hit = train?.kind === 'map' ? train.entries.find((e) => isEngineKey(e.key) && rangeOf(e.keyRange).contains(position)) : undefined;
      if (!hit || !isEngineKey(hit.key)) return undefined;
      const text = new vscode.MarkdownString(`**train.${hit.key}**: ${ENGINE_KEY_DOCS[hit.key]}`);
      if (hit.key === 'engine' && hit.value.kind === 'scalar' && hit.value.value === 'pytorch' && vscode.workspace.isTrusted) {
        const python = await pythonFor(doc.uri);
        const check = await checkTorch(python.path);
        text.appendMarkdown(check.ok
          ? `\n\nTrains with \`${python.path}\` (from ${python.from}): Python ${check.pythonVersion}, torch ${check.torch}${check.cuda ? ', CUDA' : ''}${check.mps ? ', MPS' : ''}.`
          : `\n\n${check.message}`);
      }
      return new vscode.Hover(text, rangeOf(hit.keyRange));
    },
  });
}

const rangeOf = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range =>
  new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
