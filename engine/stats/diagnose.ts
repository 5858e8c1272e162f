// Training diagnostics: what went wrong inside the network, each on the model-file token that
// causes it. Pure functions of the epoch metrics and the statistics, so each rule is unit-tested
// with hand-made histories; the worker runs them as training goes (engine/stats/insideHook.ts).
import type { EpochPoint } from '../../protocol/run';
import type { LayerStats, StatsRecord, TrainingDiagnostic } from '../../protocol/stats';
import type { ModelSpec } from '../../model/language/model';
import { anchorRange, fingerprint, type Path } from '../../model/language/anchors';
import { glorotStd, heStd, lecunStd } from './targets';

const saneStds = (fanIn: number, fanOut: number): number[] => [glorotStd(fanIn, fanOut), heStd(fanIn), lecunStd(fanIn)];

export const THRESHOLDS = {
  /** Epochs of rising loss from the start that count as divergence. */
  divergeEpochs: 3,
  /** Epochs since the best validation loss while the training loss kept falling. */
  overfitEpochs: 5,
  /** Validation loss this much above its best (the last epoch, and the mean of the last three: a
   *  small validation set is noisy) before overfitting is called. */
  overfitRise: 1.1,
  /** ... and above it by this many standard errors of that change (its noise), when known. */
  overfitNoise: 2,
  /** Batch normalization's moving averages still hold more than e^-3 (5%) of their start values
   *  before this many multiples of 1/(1 - momentum) steps. */
  bnWarmup: 3,
  dead: 0.5,
  saturated: 0.5,
  /** Initial std this many times off the recommended one. */
  initFactor: 3,
  /** First-layer vs last-layer gradient (RMS per parameter) ratio. */
  vanishing: 1e-3,
  exploding: 1e3,
};

export interface DiagnoseInput {
  spec: ModelSpec;
  epochs: EpochPoint[];
  /** The first (init) and the latest full statistics, when collected. */
  init?: StatsRecord;
  latest?: StatsRecord;
  nonFinite?: { epoch: number; batch: number; loss: number; lastFinite?: number };
  /** Optimizer steps per epoch (RunInfo.batchesPerEpoch), to count the steps batch normalization has seen. */
  batchesPerEpoch?: number;
}

type Draft = Omit<TrainingDiagnostic, 'range' | 'answered'>;

export function diagnose(input: DiagnoseInput): TrainingDiagnostic[] {
  const drafts: Draft[] = [
    ...nonFinite(input),
    ...divergence(input),
    ...overfitting(input),
    ...batchNormLag(input),
    ...initScale(input),
    ...activationHealth(input),
    ...gradientFlow(input),
  ];
  const root = input.spec.source;
  return drafts.map((d) => ({ ...d, range: anchorRange(root, d.anchor), answered: fingerprint(root, d.answers) }));
}

const fmt = (v: number): string => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(3))));
const pct = (f: number): string => `${Math.round(f * 100)}%`;

/** Where the learning rate is written: train.learningRate, inside the optimizer map, or (default) the train key. */
export function learningRatePath(spec: ModelSpec): Path {
  const train = spec.source.kind === 'map' ? spec.source.entries.find((e) => e.key === 'train')?.value : undefined;
  if (train?.kind === 'map') {
    if (train.entries.some((e) => e.key === 'learningRate')) return ['train', 'learningRate'];
    const opt = train.entries.find((e) => e.key === 'optimizer')?.value;
    const inner = opt?.kind === 'map' ? opt.entries[0] : undefined;
    if (inner?.value.kind === 'map' && inner.value.entries.some((e) => e.key === 'learningRate')) return ['train', 'optimizer', inner.key, 'learningRate'];
    if (opt) return ['train', 'optimizer'];
  }
  return ['train'];
}

const lrAnswers = (spec: ModelSpec): Path[] => [learningRatePath(spec), ['train', 'optimizer']];
const layerPath = (l: { index: number }): Path => ['model', 'layers', l.index];

function nonFinite({ spec, nonFinite: nf }: DiagnoseInput): Draft[] {
  if (!nf) return [];
  const last = nf.lastFinite !== undefined ? ` The last finite loss was ${fmt(nf.lastFinite)}.` : '';
  return [{
    severity: 'error', code: 'loss-not-finite', anchor: learningRatePath(spec), answers: lrAnswers(spec),
    message: `The loss became ${nf.loss} at epoch ${nf.epoch}, batch ${nf.batch}: the learning rate ${fmt(spec.train.learningRate)} is too high for this model (try ${fmt(spec.train.learningRate / 10)}).${last}`,
  }];
}

function divergence({ spec, epochs }: DiagnoseInput): Draft[] {
  const n = THRESHOLDS.divergeEpochs;
  if (epochs.length < n + 1) return [];
  const first = epochs.slice(0, n + 1).map((e) => e.loss);
  const rising = first.every((l, i) => i === 0 || l > (first[i - 1] as number));
  if (!rising) return [];
  return [{
    severity: 'warning', code: 'loss-diverging', anchor: learningRatePath(spec), answers: lrAnswers(spec),
    message: `The loss rose for ${n} epochs from the start (${fmt(first[0] as number)} → ${fmt(first[n] as number)}): the learning rate ${fmt(spec.train.learningRate)} is probably too high; try ${fmt(spec.train.learningRate / 10)}.`,
  }];
}

function overfitting(input: DiagnoseInput): Draft[] {
  const { spec, epochs } = input;
  const withVal = epochs.filter((e) => e.valLoss !== undefined && Number.isFinite(e.valLoss));
  if (withVal.length < THRESHOLDS.overfitEpochs + 1) return [];
  const best = withVal.reduce((b, e) => ((e.valLoss as number) < (b.valLoss as number) ? e : b));
  const last = withVal[withVal.length - 1] as EpochPoint;
  const since = last.epoch - best.epoch;
  const recent = withVal.slice(-3).reduce((a, e) => a + (e.valLoss as number), 0) / Math.min(3, withVal.length);
  const rise = (best.valLoss as number) * THRESHOLDS.overfitRise;
  if (since < THRESHOLDS.overfitEpochs || (last.valLoss as number) < rise || recent < (best.valLoss as number) * Math.sqrt(THRESHOLDS.overfitRise) || last.loss >= best.loss) return [];
  // The rise must stand out of the validation set's noise (a few examples of a small set flipping
  // make a large relative change in a small loss) in each of the last three epochs, so that one
  // noisy epoch is not a trend; and the train/validation gap must have grown.
  const aboveNoise = (e: EpochPoint): boolean => (e.valLoss as number) - (best.valLoss as number) > THRESHOLDS.overfitNoise * (e.valLossChangeSE ?? 0);
  if (!withVal.slice(-3).every(aboveNoise)) return [];
  if ((last.valLoss as number) - last.loss <= (best.valLoss as number) - best.loss) return [];
  if (batchNormLag(input).length) return [];
  const story = `validation loss rose from ${fmt(best.valLoss as number)} at epoch ${best.epoch} to ${fmt(last.valLoss as number)} at epoch ${last.epoch} while the training loss fell (${fmt(best.loss)} → ${fmt(last.loss)})`;
  const answers: Path[] = [['train', 'epochs'], ['model', 'layers'], ['data']];
  const dropout = spec.model.layers.find((l) => l.kind === 'dropout');
  const regularise: Draft = dropout
    ? { severity: 'warning', code: 'overfitting', anchor: [...layerPath(dropout), 'dropout', 'rate'], answers, message: `Overfitting from epoch ${best.epoch}: ${story}. A higher dropout rate regularises more.` }
    : { severity: 'warning', code: 'overfitting', anchor: ['model', 'layers'], answers, message: `Overfitting from epoch ${best.epoch}: ${story}. Regularise: add a dropout layer (- dropout: {rate: 0.3}), a smaller network, or more data.` };
  return [
    { severity: 'warning', code: 'overfitting', anchor: ['train', 'epochs'], answers, message: `Overfitting from epoch ${best.epoch}: ${story}. Stopping at epoch ${best.epoch} would have kept the best model.` },
    regularise,
  ];
}

function initScale({ spec, init }: DiagnoseInput): Draft[] {
  if (!init) return [];
  const out: Draft[] = [];
  for (const l of init.layers) {
    if (!l.kernel || !l.target || l.target.std <= 0) continue;
    const ratio = l.kernel.std / l.target.std;
    // Glorot, He and LeCun all work in practice (Glorot is tfjs's default even before relu): only a
    // std outside all three, by the factor, is called out.
    const sane = saneStds(l.fanIn ?? 1, l.fanOut ?? 1);
    if (l.kernel.std <= Math.max(...sane) * THRESHOLDS.initFactor && l.kernel.std >= Math.min(...sane) / THRESHOLDS.initFactor) continue;
    const ls = spec.model.layers[l.index];
    const hasInit = ls && ls.optionRanges.kernelInitializer !== undefined;
    const anchor: Path = hasInit ? [...layerPath(l), l.kind, 'kernelInitializer'] : layerPath(l);
    const rule = { glorot: 'Glorot', he: 'He', lecun: 'LeCun' }[l.target.rule];
    const effect = ratio < 1
      ? 'signals shrink layer by layer and the gradients with them'
      : l.activation === 'tanh' || l.activation === 'sigmoid' ? `the ${l.activation} units saturate` : 'signals grow layer by layer';
    const how = ratio < 1 ? `${fmt(1 / ratio)}× too small` : `${fmt(ratio)}× too large`;
    out.push({
      severity: 'warning', code: 'init-scale', anchor, answers: [layerPath(l)],
      message: `Initial weights of '${l.id}' have std ${fmt(l.kernel.std)}, ${how} for ${l.activation ?? 'linear'} (${rule} target ${fmt(l.target.std)} for fan-in ${l.fanIn}, fan-out ${l.fanOut}): ${effect}. Use ${l.target.rule === 'he' ? 'heNormal' : l.target.rule === 'lecun' ? 'leCunNormal' : 'glorotUniform'}.`,
    });
  }
  return out;
}

function activationHealth({ spec, latest }: DiagnoseInput): Draft[] {
  if (!latest) return [];
  const lastIndex = spec.model.layers.length - 1;
  const out: Draft[] = [];
  for (const l of latest.layers) {
    if (l.dead !== undefined && l.dead > THRESHOLDS.dead) {
      out.push({
        severity: 'warning', code: 'dead-relu', anchor: layerPath(l), answers: [layerPath(l), ...lrAnswers(spec)],
        message: `${pct(l.dead)} of the units of '${l.id}' are dead (never positive on the probe batch at epoch ${latest.epoch}): they no longer learn. A lower learning rate, He initialisation or leaky activations (elu) help.`,
      });
    }
    if (l.saturated !== undefined && l.saturated > THRESHOLDS.saturated && l.index !== lastIndex) {
      out.push({
        severity: 'warning', code: 'saturated', anchor: layerPath(l), answers: [layerPath(l), ...lrAnswers(spec)],
        message: `${pct(l.saturated)} of the ${l.activation} outputs of '${l.id}' are saturated (in the flat tails) at epoch ${latest.epoch}: their gradients are near zero. Scale the initial weights down (glorotUniform) or normalise the inputs.`,
      });
    }
  }
  return out;
}

function gradientFlow({ latest }: DiagnoseInput): Draft[] {
  if (!latest) return [];
  const withGrad = latest.layers.filter((l): l is LayerStats & { gradRms: number } => l.gradRms !== undefined && Number.isFinite(l.gradRms));
  const ref = withGrad[withGrad.length - 1];
  if (!ref || ref.gradRms <= 0 || withGrad.length < 2) return [];
  const earlier = withGrad.slice(0, -1).map((l) => ({ l, ratio: l.gradRms / ref.gradRms }));
  // The first layer past the threshold: where the signal is lost, counting from the input.
  const lowest = earlier.find((x) => x.ratio < THRESHOLDS.vanishing);
  const highest = earlier.find((x) => x.ratio > THRESHOLDS.exploding);
  const out: Draft[] = [];
  const answers: Path[] = [['model', 'layers']];
  if (lowest) {
    out.push({
      severity: 'warning', code: 'vanishing-gradient', anchor: layerPath(lowest.l), answers,
      message: `Vanishing gradient: '${lowest.l.id}' gets ${fmt(lowest.ratio)} of the gradient (per weight) that '${ref.id}' gets at epoch ${latest.epoch}, so it barely learns. Use relu with heNormal, or fewer ${lowest.l.activation ?? ''} layers.`.replace('  ', ' '),
    });
  }
  if (highest) {
    out.push({
      severity: 'warning', code: 'exploding-gradient', anchor: layerPath(highest.l), answers,
      message: `Exploding gradient: '${highest.l.id}' gets ${fmt(highest.ratio)}× the gradient (per weight) of '${ref.id}' at epoch ${latest.epoch}. Lower the initial weight scale or the learning rate.`,
    });
  }
  return out;
}

/** The chance accuracy of the output: one unit is a yes/no (1/2), k softmax units k classes (1/k). */
function chanceAccuracy(spec: ModelSpec): number | undefined {
  const units = spec.model.layers[spec.model.layers.length - 1]?.config.units;
  if (typeof units !== 'number' || units < 1) return undefined;
  return units === 1 ? 0.5 : 1 / units;
}

/**
 * Batch normalization validates with moving averages of the batch statistics, which start at 0 and 1
 * and move by (1 - momentum) a step: with Keras's 0.99 they need a few hundred steps to catch up. On a
 * short run the network has learned while validation, normalised with stale averages, sits at
 * chance. That is not overfitting: a lower momentum (0.9) lets the averages follow within ~30 steps.
 */
function batchNormLag({ spec, epochs, batchesPerEpoch }: DiagnoseInput): Draft[] {
  const last = epochs[epochs.length - 1];
  const chance = chanceAccuracy(spec);
  if (!last || !batchesPerEpoch || chance === undefined || last.accuracy === undefined || last.valAccuracy === undefined) return [];
  const learned = last.accuracy >= chance + 0.4 * (1 - chance);
  const atChance = last.valAccuracy <= chance + 0.15 * (1 - chance);
  if (!learned || !atChance) return [];
  const steps = last.epoch * batchesPerEpoch;
  const lagging = spec.model.layers.filter((l) => {
    if (l.kind !== 'batchNormalization') return false;
    const momentum = typeof l.config.momentum === 'number' ? l.config.momentum : 0.99;
    return momentum > 0.9 && steps < (THRESHOLDS.bnWarmup / (1 - momentum));
  });
  const first = lagging[0];
  if (!first) return [];
  const momentum = typeof first.config.momentum === 'number' ? first.config.momentum : 0.99;
  const anchor: Path = first.optionRanges.momentum ? [...layerPath(first), 'batchNormalization', 'momentum'] : layerPath(first);
  return [{
    severity: 'warning', code: 'batchnorm-lag', anchor, answers: lagging.map((l) => layerPath(l)),
    message: `Validation accuracy ${pct(last.valAccuracy)} is at chance while training reached ${pct(last.accuracy)}: batch normalization validates with moving averages that, at momentum ${momentum}, need about ${Math.round(1 / (1 - momentum))} steps to follow the batches, and this run has taken ${steps}. Not overfitting: use momentum: 0.9, or train longer.`,
    fix: { title: 'Use momentum: 0.9', layers: lagging.map((l) => l.index), key: 'momentum', value: 0.9 },
  }];
}
