// One parse per document version: the cache the editor's providers share (host/parsedDocuments.ts)
// parses a version once however many ask, and the model document it keeps (model/language/
// modelDocument.ts) derives every view from that one source tree, with the same results as the
// separate parses it replaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ParsedDocuments } from '../../host/parsedDocuments';
import { editorDiagnostics, isArchitectureFile } from '../../model/language/architecture';
import { ModelDocument } from '../../model/language/modelDocument';
import { parseModel, parseModelSection } from '../../model/language/parse';
import { parseSource, type SourceTree } from '../../model/language/source';
import { repo, XOR } from './helpers';

interface FakeDocument {
  uri: string;
  version: number;
  text: string;
}

/** A cache like the extension's, over fake documents, that counts the YAML parses it makes. */
function countingCache(): { cache: ParsedDocuments<FakeDocument, ModelDocument>; parses: () => number } {
  let parses = 0;
  const countedParse = (text: string): SourceTree => {
    parses++;
    return parseSource(text);
  };
  const cache = new ParsedDocuments<FakeDocument, ModelDocument>(
    (doc) => ({ key: doc.uri, version: doc.version }),
    (doc) => new ModelDocument(doc.text, { defaultName: 'xor', defaultSeed: 0 }, countedParse),
  );
  return { cache, parses: () => parses };
}

/** What the providers ask of one version: diagnostics, hints and lenses, code actions, the schedule hover, the training anchors. */
function askLikeEveryProvider(cache: ParsedDocuments<FakeDocument, ModelDocument>, doc: FakeDocument): void {
  void cache.get(doc).diagnostics; // diagnostics
  void cache.get(doc).section.summary; // inlay hints, the totals lens, the layer hover
  void cache.get(doc).isArchitecture; // the Train lens
  void cache.get(doc).diagnostics; // code actions
  void cache.get(doc).full.spec; // the schedule hover, Restricted Mode's check
  void cache.get(doc).tree.root; // the training diagnostics' anchors
}

test('one parse per document version, however many providers ask', () => {
  const { cache, parses } = countingCache();
  const doc: FakeDocument = { uri: 'file:///w/xor.model.yaml', version: 1, text: XOR };
  askLikeEveryProvider(cache, doc);
  askLikeEveryProvider(cache, doc);
  assert.equal(parses(), 1, 'every view of version 1 came from one parse');
  const first = cache.get(doc);
  assert.equal(first.full, first.full, 'the full check is made once and kept');
  assert.equal(first.section, first.section, 'the model section check is made once and kept');

  doc.version = 2;
  doc.text = XOR.replace('epochs: 60', 'epochs: 61');
  askLikeEveryProvider(cache, doc);
  assert.equal(parses(), 2, 'a new version is parsed once');
  assert.equal(cache.get(doc).full.spec?.train.epochs, 61, 'and the answers are the new text\'s');
  assert.equal(cache.size, 1, 'the older version is not kept');

  const other: FakeDocument = { uri: 'file:///w/other.model.yaml', version: 2, text: XOR };
  askLikeEveryProvider(cache, other);
  assert.equal(parses(), 3, 'another document with the same version number is another parse');
  assert.equal(cache.size, 2);
});

test('a closed document is forgotten: reopened at version 1, its new text is parsed', () => {
  const { cache, parses } = countingCache();
  const doc: FakeDocument = { uri: 'file:///w/xor.model.yaml', version: 1, text: XOR };
  assert.equal(cache.get(doc).full.spec?.train.epochs, 60);
  cache.forget(doc.uri);
  assert.equal(cache.size, 0);
  const reopened: FakeDocument = { ...doc, text: XOR.replace('epochs: 60', 'epochs: 7') };
  assert.equal(cache.get(reopened).full.spec?.train.epochs, 7);
  assert.equal(parses(), 2);
});

function modelFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? modelFiles(path) : /\.model\.(ya?ml|json)$/.test(e.name) ? [path] : [];
  });
}

test('the views of one parse equal the separate parses they replace, for every example and a broken file', () => {
  const texts = modelFiles(join(repo, 'examples')).map((file) => [relative(repo, file), readFileSync(file, 'utf8')] as const);
  assert.ok(texts.some(([name]) => name.includes('architectures/')), 'architecture files are among them');
  texts.push(['broken', 'data: {dataset: xor}\nmodel:\n  input: [2]\n  layers: [dense: {units: 0}]\ntrain: {loss: nope}\n'], ['not yaml', 'model: [\n']);
  for (const [name, text] of texts) {
    const options = { defaultName: 'm', defaultSeed: 0 };
    const doc = new ModelDocument(text, options);
    assert.deepEqual(doc.full, parseModel(text, options), `${name}: the full check`);
    assert.deepEqual(doc.section, parseModelSection(text), `${name}: the model section`);
    assert.equal(doc.isArchitecture, isArchitectureFile(text), `${name}: architecture or not`);
    assert.deepEqual(doc.diagnostics, editorDiagnostics(text, options), `${name}: what the editor shows`);
  }
});
