// The one parse of each model document version (host/parsedDocuments.ts), for every provider:
// diagnostics, inlay hints, lenses, hovers, code actions and the training diagnostics' anchors
// all ask here instead of parsing the text themselves.
import * as vscode from 'vscode';
import { ParsedDocuments } from '../host/parsedDocuments';
import { ModelDocument } from '../model/language/modelDocument';
import { modelNameFromPath } from './modelFiles';

const documents = new ParsedDocuments<vscode.TextDocument, ModelDocument>(
  (doc) => ({ key: doc.uri.toString(), version: doc.version }),
  // Seed 0 where the file names none: the same text gives the same diagnostics every time.
  (doc) => new ModelDocument(doc.getText(), { defaultName: modelNameFromPath(doc.uri.path), defaultSeed: 0 }),
);

/** The parse of the document's current version. */
export function parsedDocument(doc: vscode.TextDocument): ModelDocument {
  return documents.get(doc);
}

export function registerParsedDocuments(): vscode.Disposable {
  return vscode.workspace.onDidCloseTextDocument((doc) => documents.forget(doc.uri.toString()));
}
