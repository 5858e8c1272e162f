// Every rule, in the order their messages appear. parseModel runs them once the model parses.
import type { ModelSummary } from '../analysis/shapes';
import { DATASETS } from '../datasets';
import type { SpecDiagnostic } from '../language/diagnostic';
import { dropout } from './dropout';
import { featureMap } from './featureMap';
import { init } from './init';
import { linearity } from './linearity';
import { memory } from './memory';
import { normalization } from './normalization';
import { outputFit } from './outputFit';
import { makeContext, type RuleDoc, type RuleFamily, type RuleSpec } from './rule';
import { training } from './training';

export const RULE_FAMILIES: readonly RuleFamily[] = [outputFit, linearity, init, normalization, dropout, featureMap, training, memory];
export const RULES: readonly RuleDoc[] = RULE_FAMILIES.flatMap((f) => f.rules);
const DOCS = new Map(RULES.map((r) => [r.code, r]));

export function ruleDoc(code: string): RuleDoc | undefined {
  return DOCS.get(code);
}

export interface RunRulesOptions {
  /** false: skip the rules about the data set (benchmarks bring their own data). */
  checkData?: boolean;
}

/** Runs every rule; with only `model` and `source` (model-lab summary), the rules about the model alone. */
export function runRules(spec: RuleSpec, summary: ModelSummary, text: string, options: RunRulesOptions = {}): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const dataset = options.checkData === false || !spec.data ? undefined : DATASETS[spec.data.dataset];
  const ctx = makeContext({ spec, summary, text, ...(dataset ? { dataset } : {}) }, DOCS, out);
  for (const family of RULE_FAMILIES) family.check(ctx);
  return out;
}

/** The rule's doc as Markdown, shipped with the extension and linked from each diagnostic. */
export function ruleMarkdown(doc: RuleDoc): string {
  return `# ${doc.title} (\`${doc.code}\`)\n\n${doc.explanation}\n\n*Model Lab rule \`${doc.code}\`, reported as ${doc.severity === 'info' ? 'information' : `a ${doc.severity}`}.*\n`;
}
