// Hover on `schedule` in a model file: the planned learning-rate curve over the run's steps, before
// training (engine/train/schedulePreview.ts draws it as text).
import * as vscode from 'vscode';
import { schedulePreview } from '../engine/train/schedulePreview';
import { MODEL_SELECTOR } from './modelFiles';
import { parsedDocument } from './parsedDocuments';

export function registerScheduleHover(): vscode.Disposable {
  return vscode.languages.registerHoverProvider(MODEL_SELECTOR, {
    provideHover(doc, position) {
      const line = doc.lineAt(position.line).text;
      if (!/\bschedule\b/.test(line)) return undefined; // cheap test before asking for the parse
      const spec = parsedDocument(doc).full.spec;
      const s = spec?.train.schedule;
      if (!spec || !s) return undefined;
      const range = new vscode.Range(s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character);
      if (!range.contains(position)) return undefined;
      const text = schedulePreview(spec);
      return text ? new vscode.Hover(new vscode.MarkdownString(text), range) : undefined;
    },
  });
}
