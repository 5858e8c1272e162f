// The distribution a layer's initial weights should have: fan-in/fan-out as tfjs computes them,
// the rule recommended for the layer's activation (He for the ReLU family, LeCun for SELU, Glorot
// otherwise), and the std the file's own initializer gives, so the panel can draw all three.
import type { InitTarget } from '../../protocol/stats';
import type { InitializerSpec } from '../../model/language/model';

/** tfjs computeFans: a dense kernel [in, out]; a conv kernel [kh, kw, in, out] times its window. */
export function fans(kernelShape: number[]): { fanIn: number; fanOut: number } {
  if (kernelShape.length === 2) return { fanIn: kernelShape[0] as number, fanOut: kernelShape[1] as number };
  const field = kernelShape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: field * (kernelShape[kernelShape.length - 2] as number), fanOut: field * (kernelShape[kernelShape.length - 1] as number) };
}

export const glorotStd = (fanIn: number, fanOut: number): number => Math.sqrt(2 / (fanIn + fanOut));
export const heStd = (fanIn: number): number => Math.sqrt(2 / fanIn);
export const lecunStd = (fanIn: number): number => Math.sqrt(1 / fanIn);

const RELU_FAMILY = new Set(['relu', 'relu6', 'elu', 'swish']);

export function recommendedRule(activation: string | undefined): InitTarget['rule'] {
  if (activation && RELU_FAMILY.has(activation)) return 'he';
  if (activation === 'selu') return 'lecun';
  return 'glorot';
}

/** What is left of a normal's std once tfjs cuts it at two std without rescaling (truncatedNormal, and
 *  the glorot/he/leCun normal ones, which draw from it unlike Keras 2's, which widen it first). */
const TRUNCATED = 0.8796;

/** The std an initializer gives a kernel with these fans (undefined: not a distribution). */
export function initializerStd(init: InitializerSpec | undefined, fanIn: number, fanOut: number): number | undefined {
  const name = init?.name ?? 'glorotUniform';
  const o = init?.options ?? {};
  switch (name) {
    case 'glorotUniform': return glorotStd(fanIn, fanOut);
    case 'glorotNormal': return glorotStd(fanIn, fanOut) * TRUNCATED;
    case 'heUniform': return heStd(fanIn);
    case 'heNormal': return heStd(fanIn) * TRUNCATED;
    case 'leCunUniform': case 'lecunUniform': return lecunStd(fanIn);
    case 'leCunNormal': case 'lecunNormal': return lecunStd(fanIn) * TRUNCATED;
    case 'randomNormal': return o.stddev ?? 0.05;
    case 'truncatedNormal': return (o.stddev ?? 0.05) * TRUNCATED;
    case 'randomUniform': return ((o.maxval ?? 0.05) - (o.minval ?? -0.05)) / Math.sqrt(12);
    case 'zeros': case 'ones': case 'constant': return 0;
    default: return undefined; // an initializer added later: no target of its own to draw
  }
}

export function initTarget(kernelShape: number[], activation: string | undefined, init: InitializerSpec | undefined): InitTarget & { fanIn: number; fanOut: number } {
  const { fanIn, fanOut } = fans(kernelShape);
  const rule = recommendedRule(activation);
  const std = rule === 'he' ? heStd(fanIn) : rule === 'lecun' ? lecunStd(fanIn) : glorotStd(fanIn, fanOut);
  const own = initializerStd(init, fanIn, fanOut);
  return { fanIn, fanOut, rule, std, initializer: init?.name ?? 'glorotUniform', ...(own !== undefined ? { initializerStd: own } : {}) };
}
