// Training diagnostics for an engine that does not compute them itself (the PyTorch runner sends
// statistics and epoch points only): the host runs the same rules as the tfjs worker
// (engine/stats/diagnose.ts) on what arrives, so both engines place the same advice on the same lines.
import type { WorkerToHost } from '../../protocol/worker';
import type { EpochPoint } from '../../protocol/run';
import type { StatsRecord, TrainingDiagnostic } from '../../protocol/stats';
import type { ModelSpec } from '../../model/language/model';
import { diagnose, type DiagnoseInput } from '../../engine/stats/diagnose';
import { mergeParts } from '../../common/stats/budget';

export class HostDiagnostics {
  private readonly epochs: EpochPoint[] = [];
  private init: StatsRecord | undefined;
  /** The parts of the newest collection (a big model's collection arrives in several messages). */
  private parts: StatsRecord[] = [];
  private batchesPerEpoch: number | undefined;
  private nonFinite: DiagnoseInput['nonFinite'];
  private lastFinite: number | undefined;
  private sent = '[]';

  constructor(private readonly spec: ModelSpec) {}

  /** Takes in one engine message; returns the whole new list when it changed. */
  observe(m: WorkerToHost): TrainingDiagnostic[] | undefined {
    switch (m.type) {
      case 'started':
        this.batchesPerEpoch = m.info.batchesPerEpoch;
        return undefined;
      case 'progress':
        for (const b of m.batches) {
          if (this.nonFinite) break;
          if (Number.isFinite(b.loss)) this.lastFinite = b.loss;
          else this.nonFinite = { epoch: b.epoch, batch: this.batchInEpoch(b.step), loss: b.loss, ...(this.lastFinite !== undefined ? { lastFinite: this.lastFinite } : {}) };
        }
        this.epochs.push(...m.epochs);
        return m.epochs.length || this.nonFinite ? this.evaluate() : undefined;
      case 'done': {
        // The runner never sends a non-finite loss (JSON has none): a run that failed on one says so in its summary.
        const nf = readNonFinite((m.summary as { nonFiniteLoss?: unknown }).nonFiniteLoss);
        if (!nf || this.nonFinite) return undefined;
        this.nonFinite = { ...nf, ...(this.lastFinite !== undefined ? { lastFinite: this.lastFinite } : {}) };
        return this.evaluate();
      }
      case 'stats': {
        const r = m.record;
        const same = this.parts[0] && this.parts[0].step === r.step && this.parts[0].when === r.when && this.parts[0].epoch === r.epoch;
        this.parts = same ? [...this.parts, r] : [r];
        if (r.when === 'init') this.init = mergeParts(this.parts)[0];
        return this.evaluate();
      }
      default:
        return undefined;
    }
  }

  private batchInEpoch(step: number): number {
    const per = this.batchesPerEpoch;
    return per ? ((step - 1) % per) + 1 : step;
  }

  private evaluate(): TrainingDiagnostic[] | undefined {
    const latest = this.parts.length ? mergeParts(this.parts)[0] : undefined;
    const list = diagnose({
      spec: this.spec, epochs: this.epochs, ...(this.batchesPerEpoch ? { batchesPerEpoch: this.batchesPerEpoch } : {}),
      ...(this.init ? { init: this.init } : {}), ...(latest ? { latest } : {}), ...(this.nonFinite ? { nonFinite: this.nonFinite } : {}),
    });
    const text = JSON.stringify(list);
    if (text === this.sent) return undefined;
    this.sent = text;
    return list;
  }
}

function readNonFinite(v: unknown): { epoch: number; batch: number; loss: number } | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { epoch, batch, loss } = v as Record<string, unknown>;
  const value = loss === 'NaN' ? NaN : loss === 'Infinity' ? Infinity : loss === '-Infinity' ? -Infinity : undefined;
  return typeof epoch === 'number' && typeof batch === 'number' && value !== undefined ? { epoch, batch, loss: value } : undefined;
}
