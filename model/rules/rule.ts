// What a rule is: a stable code, a plain-words explanation of the idea behind it (shipped as a doc
// the diagnostic links to), and a check that reads the parsed model and reports on the right line.
import type { ModelSummary } from '../analysis/shapes';
import type { DatasetDef } from '../datasets';
import type { Range, Severity, SpecDiagnostic, SpecFix } from '../language/diagnostic';
import type { ModelSpec } from '../language/model';

export interface RuleDoc {
  /** Stable id, shown beside the message and used as the doc's file name. */
  code: string;
  /** A short heading for the doc and the "Explain" action. */
  title: string;
  /** One paragraph in plain words: the idea from the course behind the advice. */
  explanation: string;
  severity: Severity;
}

/** What the rules read: the model always; data and train when the whole file parsed (not for `summary`). */
export type RuleSpec = Pick<ModelSpec, 'model' | 'source'> & Partial<Pick<ModelSpec, 'data' | 'train'>>;

/** What a check reads and reports to; `Code` is the codes its family declares. */
export interface RuleContext<Code extends string = string> {
  spec: RuleSpec;
  summary: ModelSummary;
  /** The model file text, to build edits (quick fixes) that keep the file's own style. */
  text: string;
  /** The data set the model trains on; undefined when data checks are off or it is unknown. */
  dataset?: DatasetDef;
  report(code: Code, range: Range, message: string, fixes?: (SpecFix | undefined)[], severity?: Severity): void;
}

/** A family of related rules that share one pass over the model. */
export interface RuleFamily {
  rules: RuleDoc[];
  check(ctx: RuleContext): void;
}

/**
 * A family from its rules' docs and its check, which may report only the codes the docs declare: a
 * misspelt code is a compile error here rather than a throw when the rule first fires.
 */
export function ruleFamily<Code extends string>(rules: (RuleDoc & { code: Code })[], check: (ctx: RuleContext<Code>) => void): RuleFamily {
  return { rules, check };
}

export function makeContext(
  base: Omit<RuleContext, 'report'>,
  docs: ReadonlyMap<string, RuleDoc>,
  out: SpecDiagnostic[],
): RuleContext {
  return {
    ...base,
    report(code, range, message, fixes, severity) {
      const doc = docs.get(code);
      if (!doc) throw new Error(`rule '${code}' reported but not declared`);
      const present = (fixes ?? []).filter((f): f is SpecFix => f !== undefined);
      out.push({ severity: severity ?? doc.severity, message, range, code, ...(present.length ? { fixes: present } : {}) });
    },
  };
}
