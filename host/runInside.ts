// What the host keeps of a run's inside (statistics parts and training diagnostics), recorded as
// it arrives and handed to the inside panels and the Problems panel. Free of the vscode API, like
// trainingRun.ts, so unit tests can drive it.
import type { StatsRecord, TrainingDiagnostic } from '../protocol/stats';
import type { ExamplePick, PickedMapsReply } from '../protocol/pickedMaps';
import { StatsRecorder } from '../engine/stats/record';

export type InsideEvent = { type: 'stats'; record: StatsRecord } | { type: 'diagnostics'; list: TrainingDiagnostic[] } | { type: 'pickedMaps'; reply: PickedMapsReply };

export class RunInside {
  /** Every part as it arrived (common/stats/budget.ts mergeParts() joins them). */
  readonly records: StatsRecord[] = [];
  diagnostics: TrainingDiagnostic[] = [];
  private diagnosticsJson = '[]';
  /** The example last picked in the Filters panel, and the newest answer (not recorded: computed on demand). */
  pick: ExamplePick | undefined;
  picked: PickedMapsReply | undefined;
  private readonly listeners = new Set<(e: InsideEvent) => void>();
  private readonly recorder: StatsRecorder | undefined;

  constructor(runDir: string | undefined, onWriteError?: (message: string) => void) {
    this.recorder = runDir ? new StatsRecorder(runDir, onWriteError) : undefined;
  }

  addStats(record: StatsRecord): void {
    this.records.push(record);
    this.recorder?.append(record);
    this.fire({ type: 'stats', record });
  }

  setDiagnostics(list: TrainingDiagnostic[]): void {
    // The worker sends the list every epoch; an unchanged one would only re-parse the model file
    // for the Problems panel (extension/trainingDiagnostics.ts) and rewrite diagnostics.json.
    const json = JSON.stringify(list);
    if (json === this.diagnosticsJson) return;
    this.diagnosticsJson = json;
    this.diagnostics = list;
    this.recorder?.writeDiagnostics(list);
    this.fire({ type: 'diagnostics', list });
  }

  /** Resolves once the diagnostics given so far are written (they are written asynchronously). */
  flushed(): Promise<void> {
    return this.recorder?.flushed() ?? Promise.resolve();
  }

  setPicked(reply: PickedMapsReply): void {
    this.picked = reply;
    this.fire({ type: 'pickedMaps', reply });
  }

  /** A pick whose answer has not come (the worker may have ended before answering it). */
  get unanswered(): ExamplePick | undefined {
    const p = this.pick;
    const r = this.picked?.pick;
    return p && !(r && r.split === p.split && r.index === p.index) ? p : undefined;
  }

  onDidChange(listener: (e: InsideEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(e: InsideEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  dispose(): void {
    this.listeners.clear();
  }
}
