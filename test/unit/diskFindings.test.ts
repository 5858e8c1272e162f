// The diagnostics provider's two steps (host/diskFindings.ts): the parse's diagnostics at once, the
// disk's when the asynchronous look is done, for the version it was made for only. Exercised with
// fake documents and looks the test resolves in the order it wants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiskFindings } from '../../host/diskFindings';

interface FakeDocument {
  uri: string;
  version: number;
  closed: boolean;
}

/** A look whose answer the test gives later. */
function deferred(): { look: () => Promise<string[]>; answer: (found: string[]) => void; fail: () => void } {
  let answer: (found: string[]) => void = () => {};
  let fail: () => void = () => {};
  const promise = new Promise<string[]>((resolve, reject) => {
    answer = resolve;
    fail = () => reject(new Error('EIO'));
  });
  return { look: () => promise, answer, fail };
}

function provider() {
  const published: { uri: string; version: number; fromDisk: string[] }[] = [];
  const findings = new DiskFindings<FakeDocument, string>(
    (doc) => ({ key: doc.uri, version: doc.version, closed: doc.closed }),
    (doc, fromDisk) => published.push({ uri: doc.uri, version: doc.version, fromDisk }),
  );
  return { findings, published };
}

test('the disk\'s findings are merged in when the look is done, for the version they were looked up for', async () => {
  const { findings, published } = provider();
  const doc: FakeDocument = { uri: 'file:///w/m.model.yaml', version: 1, closed: false };
  const v1 = deferred();
  const done1 = findings.update(doc, v1.look);
  assert.deepEqual(published, [{ uri: doc.uri, version: 1, fromDisk: [] }], 'the parse\'s diagnostics go out at once');
  v1.answer(['csv missing']);
  await done1;
  assert.deepEqual(published[1], { uri: doc.uri, version: 1, fromDisk: ['csv missing'] }, 'then merged with the disk\'s');

  // The user types twice; the first version's look finishes last.
  doc.version = 2;
  const v2 = deferred();
  const done2 = findings.update(doc, v2.look);
  assert.deepEqual(published[2]?.fromDisk, ['csv missing'], 'the last findings stay on screen meanwhile (no blinking)');
  doc.version = 3;
  const v3 = deferred();
  const done3 = findings.update(doc, v3.look);
  v3.answer(['target missing']);
  await done3;
  v2.answer(['stale']);
  await done2;
  assert.deepEqual(published.map((p) => p.fromDisk), [[], ['csv missing'], ['csv missing'], ['csv missing'], ['target missing']],
    'version 2\'s late answer is dropped');
});

test('of two looks at the same version, the later one\'s answer stands even when the earlier one finishes last', async () => {
  // The version stays when the interpreter changes: a slow check of the old one (importing torch)
  // must not overwrite the quick answer about the new one.
  const { findings, published } = provider();
  const doc: FakeDocument = { uri: 'file:///w/m.model.yaml', version: 1, closed: false };
  const earlier = deferred();
  const done1 = findings.update(doc, earlier.look);
  const later = deferred();
  const done2 = findings.update(doc, later.look);
  later.answer(['no torch']);
  await done2;
  earlier.answer([]);
  await done1;
  assert.deepEqual(published.map((p) => p.fromDisk), [[], [], ['no torch']], 'the earlier look\'s late answer is dropped');
});

test('nothing to look at clears the findings; a closed document and a failed look publish nothing more', async () => {
  const { findings, published } = provider();
  const doc: FakeDocument = { uri: 'file:///w/m.model.yaml', version: 1, closed: false };
  await findings.update(doc, async () => ['csv missing']);
  doc.version = 2;
  await findings.update(doc, undefined);
  assert.deepEqual(published.at(-1)?.fromDisk, [], 'the data section no longer names files: nothing from the disk');
  doc.version = 3;
  const closing = deferred();
  const done = findings.update(doc, closing.look);
  assert.deepEqual(published.at(-1)?.fromDisk, [], 'cleared findings are not shown again');
  doc.closed = true;
  closing.answer(['csv missing']);
  await done;
  assert.equal(published.length, 4, 'a closed document gets nothing');

  const other: FakeDocument = { uri: 'file:///w/o.model.yaml', version: 1, closed: false };
  await findings.update(other, async () => ['x']);
  other.version = 2;
  const failing = deferred();
  const failed = findings.update(other, failing.look);
  failing.fail();
  await failed;
  assert.deepEqual(published.slice(-2).map((p) => p.fromDisk), [['x'], ['x']], 'a failed look leaves the last findings');

  findings.dispose();
  const after = deferred();
  const late = findings.update(other, after.look);
  after.answer(['y']);
  await late;
  assert.ok(!published.some((p) => p.fromDisk.includes('y')), 'nothing is published once the provider is gone');
});
