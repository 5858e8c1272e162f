// Trains through an engine connection for a caller that wants the tfjs loop's sink and summary (the
// CLI): each validated message becomes the same sink call the in-process loop makes, Stop (the
// token) becomes the engine's stop with its grace, and the promise ends when the engine does.
import type { RunSummary } from '../../protocol/run';
import type { TrainingSink } from '../../engine/train/hooks';
import type { CancellationToken } from '../../common/cancellation';
import { assertNever } from '../../common/assertNever';
import type { EngineConnection, EngineHandlers } from './engineConnection';

export function trainThrough(connect: (h: EngineHandlers) => EngineConnection, sink: TrainingSink, token: CancellationToken, onMalformed?: (why: string) => void): Promise<RunSummary> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    // Filled once connect() returns (an engine calls back only later, never from inside connect).
    const held: { engine?: EngineConnection } = {};
    let stopping: ReturnType<typeof setTimeout> | undefined;
    let last: RunSummary['final'];
    let epochs = 0;
    let settled = false;
    const settle = (partial: Partial<RunSummary> & Pick<RunSummary, 'status'>) => {
      if (settled) return;
      settled = true;
      if (stopping) clearTimeout(stopping);
      sub.dispose();
      resolve({ endedAt: new Date().toISOString(), durationMs: Date.now() - t0, epochsDone: epochs, ...(last ? { final: last } : {}), ...partial });
      held.engine?.kill();
    };
    const sub = token.onCancellationRequested(() => {
      const engine = held.engine;
      if (!engine || stopping) return;
      engine.send({ type: 'stop' });
      stopping = setTimeout(() => engine.kill(), engine.stopGraceMs);
    });
    held.engine = connect({
      onMessage: (m) => {
        if (settled) return;
        switch (m.type) {
          case 'started': return sink.started(m.info);
          case 'progress':
            for (const b of m.batches) sink.batch(b);
            for (const e of m.epochs) {
              last = e;
              epochs = e.epoch;
              sink.epoch(e);
            }
            return;
          case 'log': return sink.log(m.level, m.message);
          case 'stats': return sink.stats?.(m.record);
          case 'diagnostics': return sink.diagnostics?.(m.list);
          case 'pickedMaps': return;
          case 'done': return settle(m.summary);
          case 'error': return settle({ status: 'failed', error: m.message });
          default: assertNever(m, 'engine message');
        }
      },
      onMalformed: (why) => onMalformed?.(why),
      onWaiting: (text) => { if (text && !settled) sink.log('info', text); },
      onEnd: (end) => {
        if (end.kind === 'crash') return settle({ status: 'failed', error: end.message });
        if (stopping) return settle({ status: 'stopped' });
        settle({ status: 'failed', error: `The ${held.engine?.label ?? 'engine'} exited unexpectedly (code ${end.code}).${end.detail ? ` It said: ${end.detail}` : ''}` });
      },
    });
    if (token.isCancellationRequested) settle({ status: 'stopped' });
  });
}
