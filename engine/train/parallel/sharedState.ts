// The memory two data-parallel replicas share (one SharedArrayBuffer): a control block driven with
// Atomics, each replica's gradients (double-buffered by step parity, so that one replica may start
// the next step while the other still reads this step's), and the second replica's half batch.
// Both replicas run the same code on the same numbers, so they stay bit-identical.

export const SEQ = 0; // step number the coordinator asked for (bumped to start a step)
export const DONE = 1; // DONE + r: the last step whose gradients replica r has written
export const N1 = 3; // rows of the second replica's half batch
export const CMD = 4; // CMD_STEP or CMD_STOP
export const FAILED = 5; // set by a replica that threw (it also writes ERROR_TEXT)
export const N0 = 6; // rows of the first replica's half batch
export const CMD_STEP = 1;
export const CMD_STOP = 2;
const CTRL_INTS = 8;
// Float64 slots: learning rate, then per parity the second replica's loss and correct count.
export const LR = 0;
export const lossSlot = (parity: number): number => 1 + parity * 2;
export const correctSlot = (parity: number): number => 2 + parity * 2;
const F64_SLOTS = 8;
const ERROR_BYTES = 2048;

export interface SharedLayout {
  /** Floats exchanged per replica and step: every trainable variable, then the moving statistics. */
  exchange: number;
  /** Largest half batch the second replica gets. */
  maxRows: number;
  xRow: number;
  yWidth: number;
}

export interface SharedViews {
  ctrl: Int32Array;
  f64: Float64Array;
  /** grads(replica, parity) */
  grads(replica: number, parity: number): Float32Array;
  x: Float32Array;
  y: Float32Array;
  /** UTF-8 text of the error a replica failed with. */
  errorText: Uint8Array;
}

export function allocShared(l: SharedLayout): SharedArrayBuffer {
  const floats = 4 * l.exchange + l.maxRows * (l.xRow + l.yWidth);
  return new SharedArrayBuffer(CTRL_INTS * 4 + F64_SLOTS * 8 + ERROR_BYTES + floats * 4);
}

export function sharedViews(sab: SharedArrayBuffer, l: SharedLayout): SharedViews {
  const ctrl = new Int32Array(sab, 0, CTRL_INTS);
  const f64 = new Float64Array(sab, CTRL_INTS * 4, F64_SLOTS);
  const errorText = new Uint8Array(sab, CTRL_INTS * 4 + F64_SLOTS * 8, ERROR_BYTES);
  const base = CTRL_INTS * 4 + F64_SLOTS * 8 + ERROR_BYTES;
  const g = [0, 1, 2, 3].map((i) => new Float32Array(sab, base + i * l.exchange * 4, l.exchange));
  const xOff = base + 4 * l.exchange * 4;
  const x = new Float32Array(sab, xOff, l.maxRows * l.xRow);
  const y = new Float32Array(sab, xOff + l.maxRows * l.xRow * 4, l.maxRows * l.yWidth);
  return { ctrl, f64, grads: (r, p) => g[r * 2 + p] as Float32Array, x, y, errorText };
}

/** Records why a replica failed, for the other one to report. */
export function fail(v: SharedViews, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, v.errorText.length);
  v.errorText.fill(0);
  v.errorText.set(bytes);
  Atomics.store(v.ctrl, FAILED, 1);
  for (let i = 0; i < CTRL_INTS; i++) Atomics.notify(v.ctrl, i); // wake whatever the other one waits on
}

/** Blocks until ctrl[i] >= want (the counters only grow, and the other replica may already be a
 *  step further); throws after `timeoutMs` or when the other replica failed. */
export function waitFor(v: SharedViews, i: number, want: number, timeoutMs: number, who: string): void {
  const ctrl = v.ctrl;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v0 = Atomics.load(ctrl, i);
    if (v0 >= want) return;
    if (Atomics.load(ctrl, FAILED) !== 0) {
      const text = new TextDecoder().decode(v.errorText.slice()).replace(/\0+$/, '');
      throw new Error(`${who} failed: ${text}`);
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${who} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
    Atomics.wait(ctrl, i, v0, Math.min(left, 1000));
  }
}

export function signal(ctrl: Int32Array, i: number, value: number): void {
  Atomics.store(ctrl, i, value);
  Atomics.notify(ctrl, i);
}
