// Checks of the data files a model names: does each exist and is it a file or a folder as its key
// says, is it within the size limit (engine/data/dataLimits.ts), does the CSV have the target column.
// The parser never reads the disk (it runs on the editor's thread as the user types); these checks
// run after it, asynchronously, and stay cheap: a stat per file and at most the first 64 KB of a CSV.
// Everything else is checked when the worker loads the data.
import { open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { splitCsvLine } from './csv';
import { fileBytesProblem } from './dataLimits';
import { ACTIVATION_RANGE, csvTargetRange, unreachableTargets } from './targetRange';
import { Checker } from '../../model/language/check';
import { dataKeyRange, type DataToCheck } from '../../model/language/dataShape';
import type { Range, SpecDiagnostic } from '../../model/language/diagnostic';
import type { DataSource } from '../../model/language/model';
import { parseModel, type ParseOptions, type ParseResult } from '../../model/language/parse';

/** The diagnostics about the files of a parsed model's data section, looked for beside `modelFile`. */
export async function checkDataFiles(toCheck: DataToCheck | undefined, modelFile: string): Promise<SpecDiagnostic[]> {
  const source = toCheck?.data.source;
  if (!toCheck || !source || !modelFile) return [];
  const c = new Checker();
  const at = (key: string): Range => dataKeyRange(toCheck.data, toCheck.fallback, key);
  const base = dirname(modelFile);
  // One after the other: the messages keep the order they have always had.
  await checkFiles(c, source, base, source.kind, at);
  await checkTargetRange(c, toCheck, base);
  if (toCheck.data.validation) await checkFiles(c, toCheck.data.validation, base, 'validation', at);
  return c.diagnostics;
}

/** A CSV's regression targets against the output activation's range (engine/data/targetRange.ts). */
async function checkTargetRange(c: Checker, toCheck: DataToCheck, base: string): Promise<void> {
  const { output } = toCheck;
  const source = toCheck.data.source;
  if (!output || source?.kind !== 'csv' || !/^(meanSquaredError|meanAbsoluteError|huber)$/.test(output.loss) || !ACTIVATION_RANGE[output.activation]) return;
  const range = await csvTargetRange(resolve(base, source.path), source.target);
  const message = range && unreachableTargets(output.activation, range);
  if (message) c.report(output.range, message, 'output-range', 'warning');
}

/**
 * A parse with the data-file findings added: an error among them leaves no spec, as any error in
 * the file does (what training, the CLI and the worker refuse on).
 */
export function withDataFiles(parsed: ParseResult, found: SpecDiagnostic[]): ParseResult {
  if (!found.length) return parsed;
  const diagnostics = [...parsed.diagnostics, ...found];
  if (!parsed.spec || !found.some((d) => d.severity === 'error')) return { ...parsed, diagnostics };
  const { spec: _spec, ...rest } = parsed;
  return { ...rest, diagnostics };
}

/** parseModel, then the checks of the data files it names (relative to `modelFile` when given). */
export async function parseModelWithDataFiles(text: string, options: ParseOptions & { modelFile?: string } = {}): Promise<ParseResult> {
  const { modelFile, ...parseOptions } = options;
  const parsed = parseModel(text, parseOptions);
  return modelFile ? withDataFiles(parsed, await checkDataFiles(parsed.dataToCheck, modelFile)) : parsed;
}

async function checkFiles(c: Checker, source: DataSource, base: string, key: string, at: (key: string) => Range): Promise<void> {
  let bytes = 0;
  const need = async (path: string, dir: boolean, what: string): Promise<boolean> => {
    const full = resolve(base, path);
    let isDir: boolean;
    try {
      const s = await stat(full);
      isDir = s.isDirectory();
      if (!isDir) bytes += s.size;
    } catch {
      c.report(at(key), `${what} '${path}' not found (looked for ${full}).`, 'data-file');
      return false;
    }
    if (isDir !== dir) c.report(at(key), `'${path}' is a ${isDir ? 'folder' : 'file'}; ${what} must be a ${dir ? 'folder' : 'file'}.`, 'data-file');
    return isDir === dir;
  };
  const tooLarge = (what: string, many = false): boolean => {
    const problem = fileBytesProblem(what, bytes, many);
    if (problem) c.report(at(key), problem, 'data-too-large');
    return problem !== undefined;
  };
  if (source.kind === 'idx') {
    const images = await need(source.images, false, 'The images file');
    const labels = await need(source.labels, false, 'The labels file');
    if (images && labels) tooLarge(`'${source.images}' and '${source.labels}'`, true);
  } else if (source.kind === 'images') {
    // The folder's total is checked when training loads it: here it would take a stat per image per keystroke.
    await need(source.folder, true, 'The image folder');
  } else if (await need(source.path, false, 'The CSV file') && !tooLarge(`'${source.path}'`)) {
    const header = await firstLine(resolve(base, source.path));
    const columns = header === undefined ? [] : splitCsvLine(header).map((s) => s.trim());
    if (header !== undefined && !columns.includes(source.target) && key !== 'validation') {
      c.report(at('target'), `'${source.path}' has no column '${source.target}'; its columns: ${columns.join(', ')}.`, 'data-target');
    }
  }
}

/** A header longer than this is not checked here (the worker checks it when it loads the file). */
const MAX_HEADER_BYTES = 65536;
/** Read this much at a time: a header is usually a few hundred bytes, so most files take one read. */
const CHUNK_BYTES = 4096;

/** The first line of a file, reading at most MAX_HEADER_BYTES, and no further than its first line break. */
export async function firstLine(path: string): Promise<string | undefined> {
  const buf = Buffer.alloc(MAX_HEADER_BYTES);
  let handle;
  try {
    handle = await open(path, 'r');
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await handle.read(buf, n, Math.min(CHUNK_BYTES, buf.length - n), n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (buf.subarray(n - bytesRead, n).includes(0x0a)) break;
    }
    const text = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end >= 0 ? text.slice(0, end) : n < buf.length ? text : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
