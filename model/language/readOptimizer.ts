// train.optimizer: `adam`, or `{sgd: {momentum: 0.9, clipNorm: 1}}` with tfjs's option names.
import type { Checker } from './check';
import type { OptimizerSpec } from './model';
import { readOptions, type OptionRule } from './readOptions';
import type { MapEntry, SrcNode } from './source';
import { OPTIMIZERS, OPTIMIZER_OPTIONS, type OptimizerName } from './vocabulary';

const unit = { type: 'number', rule: { min: 0, below: 1 } } as const;
const OPTION_RULES: Record<string, OptionRule> = {
  learningRate: { type: 'number', rule: { above: 0, max: 100 } },
  momentum: unit, beta1: unit, beta2: unit, rho: unit, decay: unit,
  nesterov: { type: 'bool' }, centered: { type: 'bool' },
  epsilon: { type: 'number', rule: { above: 0, max: 1 } },
  initialAccumulatorValue: { type: 'number', rule: { min: 0, max: 100 } },
  weightDecay: { type: 'number', rule: { min: 0, max: 1 } },
  clipNorm: { type: 'number', rule: { above: 0 } },
  clipValue: { type: 'number', rule: { above: 0 } },
};

export function readOptimizer(c: Checker, node: SrcNode): OptimizerSpec | undefined {
  if (node.kind === 'scalar') {
    const name = c.oneOf<OptimizerName>(node, 'train.optimizer', OPTIMIZERS);
    return name ? { name, options: {} } : undefined;
  }
  if (node.kind !== 'map' || node.entries.length !== 1) {
    c.report(node.range, `train.optimizer must be a name (${OPTIMIZERS.join(', ')}) or a map like {sgd: {momentum: 0.9}}.`, 'wrong-type');
    return undefined;
  }
  const [e] = node.entries as [MapEntry];
  const name = c.oneOf<OptimizerName>({ kind: 'scalar', value: e.key, range: e.keyRange }, 'train.optimizer', OPTIMIZERS);
  if (!name) return undefined;
  const table = Object.fromEntries(OPTIMIZER_OPTIONS[name].map((k) => [k, OPTION_RULES[k] as OptionRule]));
  const read = readOptions(c, e.value, `optimizer ${name}`, table, name);
  if (!read) return undefined;
  if (read.values.centered === true && read.ranges.centered) {
    // tfjs computes sqrt(ms - (mg² + epsilon)): epsilon is subtracted, so a gradient whose variance is below it gives NaN.
    c.report(read.ranges.centered, "tfjs's centered RMSProp subtracts epsilon under the square root: where a gradient barely varies the step becomes NaN. A smaller epsilon (e.g. 1e-10) makes that rarer.", 'centered-rmsprop', 'warning');
  }
  return { name, options: read.values as Record<string, number | boolean> };
}
