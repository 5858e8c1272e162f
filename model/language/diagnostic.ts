// Diagnostics that the model language produces: positions are 0-based like vscode.Position so the extension
// maps them one to one; the CLI adds 1 for file:line:col.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface SpecDiagnostic {
  severity: Severity;
  message: string;
  range: Range;
  /** Stable id of the rule, shown by VS Code beside the message (e.g. "unknown-layer"). */
  code: string;
  /** Edits that resolve the problem (shown as quick fixes in the editor), best first. */
  fixes?: SpecFix[];
}

export interface SpecTextEdit {
  range: Range;
  newText: string;
}

export interface SpecFix {
  title: string;
  edits: SpecTextEdit[];
  /** The obvious fix: VS Code applies it with "Auto Fix" and marks it in the light bulb menu. */
  preferred?: boolean;
}

export const startOfFile: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  const { line, character } = d.range.start;
  return `${file}:${line + 1}:${character + 1}: ${d.severity}: ${d.message} [${d.code}]`;
}
