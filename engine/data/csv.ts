// CSV files, streamed: read in 64 KB chunks, a line at a time, twice (once to count rows and find
// the classes, once to fill one Float32Array of exactly the right size), so a large file never sits
// in memory as text and the features exist as one copy only.
import { closeSync, openSync, readSync } from 'node:fs';
import { DataError } from './dataError';
import { MAX_CSV_LINE_CHARS, checkFeatureBytes } from './dataLimits';
import type { Dataset } from './dataset';

/** Splits one line on commas; double quotes group a field ("a,b") and "" is a quote inside one. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

/** A line longer than the limit: the file is not a CSV table (or has no line breaks). */
export class LineTooLongError extends Error {
  constructor(readonly lineNo: number, readonly limit: number) {
    super(`line ${lineNo} is longer than ${limit.toLocaleString('en-US')} characters`);
  }
}

/** Calls `onLine` for each line (1-based numbers, line endings removed) without reading the whole file. */
export function forEachLine(path: string, onLine: (line: string, lineNo: number) => void, maxLine = MAX_CSV_LINE_CHARS): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const decoder = new TextDecoder('utf-8');
    let rest = '';
    let lineNo = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      rest += n > 0 ? decoder.decode(buf.subarray(0, n), { stream: true }) : decoder.decode();
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        onLine(stripCr(lineNo === 0 ? rest.slice(0, nl).replace(/^\uFEFF/, '') : rest.slice(0, nl)), ++lineNo);
        rest = rest.slice(nl + 1);
      }
      // Without this a file with no line breaks would grow one string until memory runs out.
      if (rest.length > maxLine) throw new LineTooLongError(lineNo + 1, maxLine);
      if (n === 0) break;
    }
    if (rest.length > 0) onLine(stripCr(lineNo === 0 ? rest.replace(/^\uFEFF/, '') : rest), ++lineNo);
  } finally {
    closeSync(fd);
  }
}

const stripCr = (s: string): string => (s.endsWith('\r') ? s.slice(0, -1) : s);

export interface CsvOptions {
  target: string;
  /** true: the target is a class label (text or number); false: a number to regress. */
  classify: boolean;
  /** Name used in messages (the path as the user wrote it). */
  label: string;
  /** The `data` key errors belong to ('csv' or 'validation'). */
  key: string;
  /** Class names from the training file, so a validation file uses the same indices. */
  classNames?: string[];
}

export interface CsvDataset extends Dataset {
  columns: string[];
  classNames: string[];
}

type LineSource = (onLine: (line: string, lineNo: number) => void) => void;

export function loadCsv(path: string, o: CsvOptions): CsvDataset {
  return loadCsvLines((cb) => {
    try {
      forEachLine(path, cb);
    } catch (e) {
      if (e instanceof LineTooLongError) throw new DataError(`${o.label}:${e.lineNo}: ${e.message}; is it a CSV file with one row per line?`, o.key);
      throw e;
    }
  }, o);
}

/** A CSV already in memory (the small shipped sets); the target is a class label. */
export function loadCsvText(text: string, target: string, name: string): CsvDataset {
  const lines = text.split('\n');
  return loadCsvLines((cb) => lines.forEach((l, i) => cb(stripCr(l), i + 1)), { target, classify: true, label: name, key: 'dataset' });
}

function loadCsvLines(eachLine: LineSource, o: CsvOptions): CsvDataset {
  let header: string[] = [];
  let targetCol = -1;
  let rows = 0;
  let headerLine = 0;
  const labels = new Set<string>();
  const bad = (lineNo: number, message: string): never => {
    throw new DataError(`${o.label}:${lineNo}: ${message}`, o.key);
  };
  // Pass 1: header, row count, shape checks, the set of labels.
  eachLine((line, lineNo) => {
    if (line.trim() === '') return;
    const cells = splitCsvLine(line).map((s) => s.trim());
    if (headerLine === 0) {
      headerLine = lineNo;
      header = cells;
      targetCol = header.indexOf(o.target);
      if (targetCol < 0) throw new DataError(`${o.label}:${lineNo}: no column '${o.target}' in the header; the columns are: ${header.join(', ')}.`, 'target');
      if (header.length < 2) bad(lineNo, 'the header names one column; a CSV for training needs the target and at least one feature column.');
      return;
    }
    if (cells.length !== header.length) bad(lineNo, `this row has ${cells.length} values; the header has ${header.length} columns.`);
    cells.forEach((cell, col) => {
      if (col === targetCol) return;
      if (cell === '' || !Number.isFinite(Number(cell))) bad(lineNo, `column '${header[col]}' holds '${cell.slice(0, 40)}', not a number; only the target column may hold text.`);
    });
    const t = cells[targetCol] as string;
    if (o.classify) labels.add(t);
    else if (t === '' || !Number.isFinite(Number(t))) bad(lineNo, `the target '${o.target}' is '${t.slice(0, 40)}', not a number: a regression target (meanSquaredError) must be numeric; for classes use a cross-entropy loss.`);
    rows++;
  });
  if (rows === 0) throw new DataError(`${o.label}: no data rows below the header.`, o.key);
  const classNames = o.classNames ?? sortLabels([...labels]);
  const classIndex = new Map(classNames.map((name, i) => [name, i]));
  if (o.classNames) {
    const unknown = [...labels].find((l) => !classIndex.has(l));
    if (unknown !== undefined) throw new DataError(`${o.label}: the label '${unknown}' does not occur in the training data (classes: ${classNames.join(', ')}).`, o.key);
  }
  const features = header.length - 1;
  checkFeatureBytes(`${o.label} (${rows.toLocaleString('en-US')} rows of ${features} features)`, rows * features, o.key);
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  let r = 0;
  // Pass 2: the numbers, straight into their arrays.
  eachLine((line, lineNo) => {
    if (lineNo <= headerLine || line.trim() === '') return;
    const cells = splitCsvLine(line);
    let f = 0;
    for (let col = 0; col < cells.length; col++) {
      const cell = (cells[col] as string).trim();
      if (col === targetCol) y[r] = o.classify ? (classIndex.get(cell) as number) : Number(cell);
      else x[r * features + f++] = Number(cell);
    }
    r++;
  });
  const name = o.label;
  const columns = header.filter((_, i) => i !== targetCol);
  if (!o.classify) return { name, x, y, n: rows, shape: [features], classes: 0, task: 'regression', columns, classNames: [] };
  return { name, x, y, n: rows, shape: [features], classes: classNames.length, task: classNames.length === 2 ? 'binary' : 'multiclass', columns, classNames };
}

/** Numbers in numeric order (0, 1, 2, ..., 10), otherwise text order: the index of a class is stable. */
function sortLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l !== '' && Number.isFinite(Number(l)));
  return numeric ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort();
}
