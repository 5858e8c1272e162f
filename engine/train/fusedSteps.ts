// The per-variable loops of the fused optimizer. Each is a small monomorphic function so V8 compiles
// it to a tight loop (inlined in one generic method, Adam ran ~5x slower). Every operation is rounded
// to float32 (Math.fround) in the order tfjs's own optimizer applies its ops, scalars included
// (tfjs turns a JS number into a float32 scalar before each op), so the results match tfjs's.

const f = Math.fround;

/** Adam; with decayRate > 0 (= lr * weightDecay) AdamW: the weight is decayed first, then Adam's
 *  update is added to the decayed weight (optimizerRules.ts's AdamWOptimizer in tfjs ops). */
export function adamStep(
  next: Float32Array, w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, size: number,
  b1: number, b2: number, omb1: number, omb2: number, eps: number, a: number, c1: number, c2: number, decayRate: number,
): void {
  for (let i = 0; i < size; i++) {
    const gi = g[i]!;
    const mi = f(f(m[i]! * b1) + f(gi * omb1));
    const vi = f(f(v[i]! * b2) + f(f(gi * gi) * omb2));
    m[i] = mi;
    v[i] = vi;
    const wi = decayRate > 0 ? f(w[i]! - f(w[i]! * decayRate)) : w[i]!;
    next[i] = f(f(f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + eps)) * a) + wi);
  }
}

/** tfjs's RMSProp: ms' = ms*decay + g²(1-decay); mom' = mom*momentum + g*lr / sqrt(ms' + eps); w' = w - mom'.
 *  Centered: mg' = mg*decay + g(1-decay) and the denominator is Keras's sqrt(ms' - mg'² + eps), as
 *  optimizerRules.ts's CenteredRMSPropOptimizer. (tfjs 4.22 subtracts epsilon, sqrt(ms' - (mg'² + eps)):
 *  NaN whenever a first gradient is below ~1e-3, since then ms' - mg'² < eps.) */
export function rmspropStep(
  next: Float32Array, w: Float32Array, g: Float32Array, ms: Float32Array, mom: Float32Array, mg: Float32Array | undefined, size: number,
  decay: number, omDecay: number, momentum: number, eps: number, lr: number,
): void {
  for (let i = 0; i < size; i++) {
    const gi = g[i]!;
    const msi = f(f(ms[i]! * decay) + f(f(gi * gi) * omDecay));
    ms[i] = msi;
    let denom: number;
    if (mg) {
      const mgi = f(f(mg[i]! * decay) + f(gi * omDecay));
      mg[i] = mgi;
      denom = f(Math.sqrt(f(f(msi - f(mgi * mgi)) + eps)));
    } else {
      denom = f(Math.sqrt(f(msi + eps)));
    }
    const momi = f(f(mom[i]! * momentum) + f(f(gi * lr) / denom));
    mom[i] = momi;
    next[i] = f(w[i]! - momi);
  }
}

/** tfjs's Adagrad: acc' = acc + g²; w' = (g / sqrt(acc' + eps)) * -lr + w. */
export function adagradStep(next: Float32Array, w: Float32Array, g: Float32Array, acc: Float32Array, size: number, eps: number, a: number): void {
  for (let i = 0; i < size; i++) {
    const gi = g[i]!;
    const ai = f(acc[i]! + f(gi * gi));
    acc[i] = ai;
    next[i] = f(f(f(gi / f(Math.sqrt(f(ai + eps)))) * a) + w[i]!);
  }
}

/** Plain SGD and momentum (tfjs's MomentumOptimizer, nesterov or not). */
export function momentumStep(next: Float32Array, w: Float32Array, g: Float32Array, m: Float32Array | undefined, size: number, mu: number, a: number, nesterov: boolean): void {
  if (!m) {
    for (let i = 0; i < size; i++) next[i] = f(f(a * g[i]!) + w[i]!);
    return;
  }
  for (let i = 0; i < size; i++) {
    const acc = f(f(m[i]! * mu) + g[i]!);
    m[i] = acc;
    const step = nesterov ? f(a * f(g[i]! + f(acc * mu))) : f(a * acc);
    next[i] = f(step + w[i]!);
  }
}
