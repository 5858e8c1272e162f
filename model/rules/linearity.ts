// Where the network is less non-linear than it looks: stacked linear layers that collapse into one,
// and a ReLU placed where its input can never be negative.
import { removeLayer, setLayerOption } from './edits';
import { activationOf, consumers, effectiveProducer, isNonLinear, NON_NEGATIVE, NORMALIZATION, PASS_THROUGH, WEIGHTED } from './graph';
import { ruleFamily } from './rule';
import type { LayerSpec, ModelSpec } from '../language/model';

/** Pooling keeps the sign of its input: max or mean of non-negative numbers is non-negative. */
const SIGN_KEEPING = /^(max|average|globalMax|globalAverage)Pooling[123]d$/;
const family = (kind: string): string => (kind === 'dense' ? 'dense' : kind.startsWith('conv') ? 'conv' : kind);

/** The next layer that applies something, if `layer` feeds exactly one chain. */
function nextActing(spec: Pick<ModelSpec, 'model'>, layer: LayerSpec): LayerSpec | undefined {
  let next = consumers(spec, layer.id);
  while (next.length === 1 && next[0] && (PASS_THROUGH.has(next[0].kind) || NORMALIZATION.has(next[0].kind))) next = consumers(spec, next[0].id);
  return next.length === 1 ? next[0] : undefined;
}

export const linearity = ruleFamily([
  { code: 'linear-stack', severity: 'warning', title: 'Linear layers stacked without a non-linearity', explanation: 'A dense layer without an activation computes W·x + b, a linear map. Two linear maps in a row are again one linear map (W2·(W1·x + b1) + b2 = W·x + b), so the extra layer adds parameters but no power: the stack can only draw straight decision boundaries, like a single layer. A non-linear activation such as ReLU between the layers is what lets depth learn curved boundaries.' },
  { code: 'relu-no-effect', severity: 'warning', title: 'ReLU on values that are never negative', explanation: 'ReLU passes positive values and sets negative ones to zero. After a layer whose outputs are already non-negative (another ReLU, sigmoid, softmax, or pooling of those), it changes nothing and only costs time: remove it, or move it to where the values can be negative.' },
], (ctx) => {
  const { spec } = ctx;
  const layers = spec.model.layers;
  for (const layer of layers.slice(0, -1)) {
    if (!WEIGHTED.has(layer.kind) || isNonLinear(activationOf(layer))) continue;
    const next = nextActing(spec, layer);
    if (!next || !WEIGHTED.has(next.kind) || family(next.kind) !== family(layer.kind)) continue;
    const edits = setLayerOption(ctx, layer, 'activation', 'relu');
    ctx.report('linear-stack', layer.optionRanges.activation ?? layer.range,
      `${layer.kind} '${layer.id}' has no activation and feeds ${next.kind} '${next.id}': two linear layers in a row collapse into one linear map. Add a non-linearity such as activation: relu.`,
      [edits && { title: 'Add activation: relu', edits, preferred: true }]);
  }
  for (const layer of layers) {
    const own = activationOf(layer);
    const standalone = !WEIGHTED.has(layer.kind) && (own === 'relu' || own === 'relu6');
    if (!standalone) continue;
    let source = effectiveProducer(spec, layer);
    while (source && SIGN_KEEPING.test(source.kind)) source = effectiveProducer(spec, source);
    const before = source && activationOf(source);
    if (!source || !before || !NON_NEGATIVE.has(before)) continue;
    const edits = removeLayer(ctx, layer);
    ctx.report('relu-no-effect', layer.range, `This ReLU follows '${source.id}', whose ${before} output is never negative: it changes nothing.`,
      [edits && { title: `Remove this ${layer.kind} layer`, edits, preferred: true }]);
  }
});
