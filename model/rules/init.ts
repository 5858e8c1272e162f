// Initial weights that do not suit the layer's activation: the wrong scheme (He vs Glorot), or a
// hand-set random scale far from the variance the layer's fan-in and fan-out call for.
import type { LayerSummary } from '../analysis/shapes';
import type { InitializerSpec, LayerSpec } from '../language/model';
import { valueText } from './edits';
import { activationOf, RELU_FAMILY, summaryOf } from './graph';
import { type RuleContext, ruleFamily } from './rule';

/** Layers whose kernel is [receptive field..., in, out], so fan-in/out follow from the summary. */
const FAN_KINDS = new Set(['dense', 'conv1d', 'conv2d', 'conv3d']);

type Scheme = 'he' | 'glorot' | 'lecun';

function schemeFor(activation: string): Scheme {
  if (activation === 'selu') return 'lecun';
  return RELU_FAMILY.has(activation) ? 'he' : 'glorot';
}

const SCHEME_NAME: Record<Scheme, string> = { he: 'He', glorot: 'Glorot (Xavier)', lecun: 'LeCun' };
const SCHEME_FORMULA: Record<Scheme, string> = { he: '2/n_in', glorot: '2/(n_in+n_out)', lecun: '1/n_in' };

export function fans(layer: LayerSpec, s: LayerSummary): { fanIn: number; fanOut: number } | undefined {
  if (!FAN_KINDS.has(layer.kind)) return undefined;
  const inC = s.inputShape[s.inputShape.length - 1] ?? 0;
  const outC = s.outputShape[s.outputShape.length - 1] ?? 0;
  const kernel = s.params - (layer.config.useBias === false ? 0 : outC);
  if (!inC || !outC || kernel <= 0) return undefined;
  const receptive = kernel / (inC * outC);
  return { fanIn: receptive * inC, fanOut: receptive * outC };
}

export function targetVariance(scheme: Scheme, fanIn: number, fanOut: number): number {
  return scheme === 'he' ? 2 / fanIn : scheme === 'lecun' ? 1 / fanIn : 2 / (fanIn + fanOut);
}

/** Standard deviation of a hand-scaled random initializer, with tfjs defaults. */
function randomStd(init: InitializerSpec): number | undefined {
  if (init.name === 'randomNormal' || init.name === 'truncatedNormal') return init.options.stddev ?? 0.05;
  if (init.name === 'randomUniform') return ((init.options.maxval ?? 0.05) - (init.options.minval ?? -0.05)) / Math.sqrt(12);
  return undefined;
}

const fmt = (x: number): string => Number(x.toPrecision(3)).toString();

function replaceInit(ctx: RuleContext, layer: LayerSpec, name: string) {
  const range = layer.optionRanges.kernelInitializer;
  return range ? { title: `Use kernelInitializer: ${name}`, edits: [{ range, newText: valueText(ctx, name) }], preferred: true } : undefined;
}

export const init = ruleFamily([
  { code: 'init-activation', severity: 'warning', title: 'The initializer does not suit the activation', explanation: 'Initial weights are drawn at random with a variance chosen so that signals neither shrink to zero nor blow up as they pass through the layers. Glorot (Xavier) initialization, Var(W) = 2/(n_in + n_out), balances the forward and backward passes for tanh and sigmoid, which are roughly linear near zero. ReLU zeroes half of its inputs, so it needs twice the variance: He initialization, Var(W) = 2/n_in. SELU is designed for LeCun initialization, Var(W) = 1/n_in.' },
  { code: 'init-scale', severity: 'warning', title: 'Random initial weights at the wrong scale', explanation: 'If the initial weights are too large, sums of many inputs push sigmoid and tanh into their flat saturated regions (and ReLU activations explode), so gradients vanish or blow up; if they are too small, the signal shrinks layer by layer towards zero and so do the gradients. The right spread depends on how many inputs (fan-in) and outputs (fan-out) a unit has: the Xavier and He formulas give it, and the named initializers (glorotNormal, heNormal) apply it for you.' },
], (ctx) => {
  for (const layer of ctx.spec.model.layers) {
    const initSpec = layer.config.kernelInitializer as InitializerSpec | undefined;
    if (!initSpec) continue;
    const activation = activationOf(layer) ?? 'linear';
    const scheme = schemeFor(activation);
    const range = layer.optionRanges.kernelInitializer ?? layer.range;
    const named = /^(he|glorot|leCun)(Normal|Uniform)$/.exec(initSpec.name);
    if (named) {
      const has: Scheme = named[1] === 'he' ? 'he' : named[1] === 'glorot' ? 'glorot' : 'lecun';
      const clash = (scheme === 'he' && has !== 'he' && activation !== 'linear') || (scheme === 'glorot' && activation !== 'linear' && has === 'he') || (scheme === 'lecun' && has !== 'lecun');
      if (!clash) continue;
      const better = `${scheme === 'lecun' ? 'leCun' : scheme}${named[2]}`;
      ctx.report('init-activation', range, `${initSpec.name} is made for ${has === 'he' ? 'ReLU' : has === 'glorot' ? 'tanh/sigmoid' : 'SELU'}; with ${activation} use ${SCHEME_NAME[scheme]} initialization (${better}, Var = ${SCHEME_FORMULA[scheme]}).`, [replaceInit(ctx, layer, better)]);
      continue;
    }
    const std = randomStd(initSpec);
    const s = summaryOf(ctx.summary, layer.id);
    const f = s && fans(layer, s);
    if (std === undefined || !f) continue;
    const target = Math.sqrt(targetVariance(scheme, f.fanIn, f.fanOut));
    const ratio = std / target;
    if (ratio <= 3 && ratio >= 1 / 3) continue;
    const better = `${scheme === 'lecun' ? 'leCun' : scheme}Normal`;
    ctx.report('init-scale', range,
      `${initSpec.name} with standard deviation ${fmt(std)} is ${ratio > 1 ? `${fmt(ratio)}× too large` : `${fmt(1 / ratio)}× too small`} for ${activation} with fan-in ${f.fanIn}, fan-out ${f.fanOut}: ` +
      `${SCHEME_NAME[scheme]} gives Var = ${SCHEME_FORMULA[scheme]} = ${fmt(target * target)}, stddev ${fmt(target)}.`,
      [replaceInit(ctx, layer, better)]);
  }
});
