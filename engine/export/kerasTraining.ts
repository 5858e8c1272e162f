// The train section as Keras: the optimizer with its options, the learning rate (a number or a
// schedule), and the callbacks (early stopping, checkpoints, reduce on plateau). Lengths written in
// epochs become steps through the script's own `steps_per_epoch`, computed from the data it loads.
import type { OptimizerSpec, TrainSpec } from '../../model/language/model';
import type { Length, MainSchedule, Monitor, ScheduleSpec } from '../../model/language/scheduleSpec';
import type { OptimizerName } from '../../model/language/vocabulary';
import { CYCLIC_PY, ONE_CYCLE_PY, WARMUP_PY } from './kerasPython';
import { call, pyNumber, pyString, pyValue, snakeCase, type PyArg } from './python';

interface OptimizerRow {
  cls: string;
  rename?: Record<string, string>;
  /** tfjs options Keras 3 has no equivalent for (left out, with a comment). */
  drop?: readonly string[];
}

const CLIP = { clipNorm: 'clipnorm', clipValue: 'clipvalue' };

const KERAS_OPTIMIZERS: Record<OptimizerName, OptimizerRow> = {
  sgd: { cls: 'SGD', rename: CLIP },
  adagrad: { cls: 'Adagrad', rename: CLIP },
  adadelta: { cls: 'Adadelta', rename: CLIP },
  // tfjs's rmsprop `decay` is the moving average's discount, Keras's `rho`.
  rmsprop: { cls: 'RMSprop', rename: { ...CLIP, decay: 'rho' } },
  adam: { cls: 'Adam', rename: CLIP },
  // tfjs's adamax `decay` decays the learning rate over time; Keras 3 does that with a schedule.
  adamax: { cls: 'Adamax', rename: CLIP, drop: ['decay'] },
  adamw: { cls: 'AdamW', rename: CLIP },
};

export interface TrainingCode {
  /** Python classes the script must define. */
  needs: string[];
  /** Lines before model.compile (learning rate, optimizer). */
  lines: string[];
  /** Callback expressions for model.fit. */
  callbacks: string[];
}

const MONITOR: Record<Monitor, string> = { valLoss: 'val_loss', loss: 'loss', valAccuracy: 'val_accuracy', accuracy: 'accuracy' };

export function trainingCode(train: TrainSpec): TrainingCode {
  const out: TrainingCode = { needs: [], lines: [], callbacks: [] };
  out.lines.push(`learning_rate = ${learningRateCode(train.learningRate, train.schedule, out)}`);
  out.lines.push(...optimizerLines(train.optimizer));
  const plateau = train.schedule?.reduceOnPlateau;
  if (plateau && (train.schedule?.main || train.schedule?.warmup)) {
    // Keras's ReduceLROnPlateau sets the optimizer's rate, which a schedule object does not allow.
    out.lines.push("# reduceOnPlateau on top of a schedule is Model Lab's own; Keras's ReduceLROnPlateau needs a plain learning rate.");
  } else if (plateau) {
    out.callbacks.push(call('keras.callbacks.ReduceLROnPlateau', [
      ['monitor', pyString(MONITOR[plateau.monitor])], ['factor', pyNumber(plateau.factor)], ['patience', pyNumber(plateau.patience)],
      ['min_delta', pyNumber(plateau.minDelta)], ['cooldown', pyNumber(plateau.cooldown)], ['min_lr', pyNumber(plateau.minLearningRate)],
    ]));
  }
  const c = train.callbacks;
  if (c?.earlyStopping) {
    const e = c.earlyStopping;
    out.callbacks.push(call('keras.callbacks.EarlyStopping', [
      ['monitor', pyString(MONITOR[e.monitor])], ['patience', pyNumber(e.patience)], ['min_delta', pyNumber(e.minDelta)], ['restore_best_weights', pyValue(e.restoreBestWeights)],
    ]));
  }
  if (c?.checkpoint) {
    const k = c.checkpoint;
    if (k.save !== 'last') out.callbacks.push(call('keras.callbacks.ModelCheckpoint', [['filepath', '"best.keras"'], ['monitor', pyString(MONITOR[k.monitor])], ['save_best_only', 'True']]));
    if (k.save !== 'best') out.callbacks.push(call('keras.callbacks.ModelCheckpoint', [['filepath', '"last.keras"']]));
  }
  if (c?.snapshotEnsemble) out.lines.push(`# snapshotEnsemble (keep ${c.snapshotEnsemble.keep}) is Model Lab's own report; Keras has no callback for it.`);
  return out;
}

function optimizerLines(o: OptimizerSpec): string[] {
  const row = KERAS_OPTIMIZERS[o.name];
  const args: PyArg[] = [['learning_rate', 'learning_rate']];
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(o.options)) {
    if (key === 'learningRate') continue; // train.learningRate (or the schedule) is the rate
    if (row.drop?.includes(key)) dropped.push(`${key}: ${String(value)}`);
    else args.push([row.rename?.[key] ?? snakeCase(key), pyValue(value)]);
  }
  return [
    ...(dropped.length ? [`# Not in Keras 3's ${row.cls}: ${dropped.join(', ')} (use a learning-rate schedule instead).`] : []),
    `optimizer = ${call(`keras.optimizers.${row.cls}`, args)}`,
  ];
}

/** A length of the schedule in steps, as Python. */
function steps(l: Length): string {
  return l.unit === 'steps' ? pyNumber(Math.max(1, l.value)) : `max(1, round(${pyNumber(l.value)} * steps_per_epoch))`;
}

function learningRateCode(lr: number, s: ScheduleSpec | undefined, out: TrainingCode): string {
  const base = pyNumber(lr);
  if (!s || (!s.main && !s.warmup)) return base;
  const warmup = s.warmup ? steps(s.warmup.length) : '0';
  const mainTotal = s.warmup ? `max(1, total_steps - ${warmup})` : 'total_steps';
  const main = s.main ? mainScheduleCode(s.main, base, mainTotal, out) : base;
  if (!s.warmup) return main;
  out.needs.push(WARMUP_PY);
  return call('Warmup', [['main', main], ['steps', warmup], ['mode', pyString(s.warmup.mode)], ['learning_rate', base], ['factor', pyNumber(s.warmup.factor)]]);
}

function mainScheduleCode(m: MainSchedule, base: string, total: string, out: TrainingCode): string {
  const ks = 'keras.optimizers.schedules';
  switch (m.kind) {
    case 'stepDecay':
      return call(`${ks}.ExponentialDecay`, [['initial_learning_rate', base], ['decay_steps', steps(m.every)], ['decay_rate', pyNumber(m.factor)], ['staircase', 'True']]);
    case 'exponentialDecay':
      return call(`${ks}.ExponentialDecay`, [['initial_learning_rate', base], ['decay_steps', steps(m.every)], ['decay_rate', pyNumber(m.decayRate)], ['staircase', pyValue(m.staircase)]]);
    case 'cosineDecay':
      return call(`${ks}.CosineDecay`, [['initial_learning_rate', base], ['decay_steps', m.length ? steps(m.length) : total], ['alpha', pyNumber(m.alpha)]]);
    case 'cosineDecayRestarts':
      return call(`${ks}.CosineDecayRestarts`, [['initial_learning_rate', base], ['first_decay_steps', steps(m.first)], ['t_mul', pyNumber(m.tMul)], ['m_mul', pyNumber(m.mMul)], ['alpha', pyNumber(m.alpha)]]);
    case 'cyclic':
      out.needs.push(CYCLIC_PY);
      return call('Cyclic', [['learning_rate', base], ['max_learning_rate', pyNumber(m.maxLearningRate)], ['step_size', steps(m.stepSize)], ['mode', pyString(m.mode)], ['gamma', pyNumber(m.gamma)]]);
    case 'oneCycle':
      out.needs.push(ONE_CYCLE_PY);
      return call('OneCycle', [['learning_rate', base], ['total_steps', m.length ? steps(m.length) : total], ['pct_start', pyNumber(m.pctStart)], ['div_factor', pyNumber(m.divFactor)], ['final_div_factor', pyNumber(m.finalDivFactor)]]);
  }
}
