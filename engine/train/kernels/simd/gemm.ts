// AssemblyScript: the matrix product of dense layers and of convolutions written as im2col,
// C[M][N] = A·B (+ bias, then ReLU if asked), for any strides of A and B, so that xᵀ·dy and dy·Wᵀ
// need no transposed copy first. A register-blocked micro-kernel computes a 4x8 tile of C over the
// whole K: eight f32x4 accumulators, two vectors of B and a broadcast of A per step (11 of the 16
// vector registers V8 gives wasm on x64). The build compiles this twice: with relaxed SIMD the
// multiply-add is one fused f32x4.relaxed_madd, with plain SIMD128 a multiply then an add.
// B is read in place when its rows are contiguous (and a panel is a full 8 wide); otherwise a
// panel of 8 columns is packed into the caller's scratch, zero-padded, before its tiles run.

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// Bias, then ReLU, on one vector of outputs (columns j..j+3).
// @ts-ignore: decorator
@inline function finish(v: v128, bias: usize, j: i32, relu: i32): v128 {
  if (bias != 0) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
  if (relu != 0) v = f32x4.max(v, f32x4.splat(0));
  return v;
}

// Stores lanes 0..n-1 of v (n <= 4): the last tile of a row whose width is not a multiple of 8.
// @ts-ignore: decorator
@inline function storeLanes(p: usize, v: v128, n: i32): void {
  if (n >= 4) { v128.store(p, v); return; }
  if (n > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// Writes one row of a tile: columns j..j+cols-1 of row c.
// @ts-ignore: decorator
@inline function storeRow(c: usize, lo: v128, hi: v128, bias: usize, j: i32, relu: i32, cols: i32): void {
  lo = finish(lo, bias, j, relu);
  hi = finish(hi, bias, j + 4, relu);
  if (cols == 8) {
    v128.store(c, lo);
    v128.store(c, hi, 16);
  } else {
    storeLanes(c, lo, cols);
    storeLanes(c + 16, hi, cols - 4);
  }
}

// A 4x8 tile: rows a, a+sam.. (byte strides), B panel b with byte stride sbk between k; C rows ldc bytes apart.
function tile4x8(a: usize, sam: usize, sak: usize, b: usize, sbk: usize, K: i32, c: usize, ldc: usize,
  bias: usize, j: i32, relu: i32, cols: i32): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  let a0 = a, a1 = a + sam, a2 = a + 2 * sam, a3 = a + 3 * sam;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    a0 += sak; a1 += sak; a2 += sak; a3 += sak; b += sbk;
  }
  storeRow(c, c00, c01, bias, j, relu, cols);
  storeRow(c + ldc, c10, c11, bias, j, relu, cols);
  storeRow(c + 2 * ldc, c20, c21, bias, j, relu, cols);
  storeRow(c + 3 * ldc, c30, c31, bias, j, relu, cols);
}

// The rows left over when M is not a multiple of 4, one at a time.
function tile1x8(a: usize, sak: usize, b: usize, sbk: usize, K: i32, c: usize, bias: usize, j: i32, relu: i32, cols: i32): void {
  let c0 = f32x4.splat(0), c1 = c0;
  for (let k = 0; k < K; k++) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(b), c0);
    c1 = madd(x, v128.load(b, 16), c1);
    a += sak; b += sbk;
  }
  storeRow(c, c0, c1, bias, j, relu, cols);
}

// Copies columns j..j+cols-1 of B (element strides sbk, sbn) into scratch as [K][8], zeros past cols.
function packPanel(b: usize, sbk: i32, sbn: i32, K: i32, j: i32, cols: i32, scratch: usize): void {
  for (let k = 0; k < K; k++) {
    const src = b + ((<usize>k * sbk + <usize>j * sbn) << 2);
    const dst = scratch + (<usize>k << 5);
    v128.store(dst, f32x4.splat(0));
    v128.store(dst, f32x4.splat(0), 16);
    for (let t = 0; t < cols; t++) store<f32>(dst + (<usize>t << 2), load<f32>(src + (<usize>t * sbn << 2)));
  }
}

// C[M][N] (row-major, overwritten) = A·B + bias, ReLU if relu != 0. A(i,k) = a[i*sam + k*sak],
// B(k,j) = b[k*sbk + j*sbn] (element strides), bias: 0 or N floats. scratch: 8*K floats, used
// when B's rows are not contiguous (sbn != 1) or N is not a multiple of 8.
export function gemm(a: usize, sam: i32, sak: i32, b: usize, sbk: i32, sbn: i32, c: usize, M: i32, N: i32, K: i32,
  bias: usize, relu: i32, scratch: usize): void {
  const samB = <usize>sam << 2, sakB = <usize>sak << 2, ldc = <usize>N << 2;
  for (let j = 0; j < N; j += 8) {
    const cols = min(8, N - j);
    let panel = b + (<usize>j << 2), stride = <usize>sbk << 2;
    if (sbn != 1 || cols < 8) {
      packPanel(b, sbk, sbn, K, j, cols, scratch);
      panel = scratch;
      stride = 32;
    }
    const cj = c + (<usize>j << 2);
    let i = 0;
    for (; i + 4 <= M; i += 4) {
      tile4x8(a + <usize>i * samB, samB, sakB, panel, stride, K, cj + <usize>i * ldc, ldc, bias, j, relu, cols);
    }
    for (; i < M; i++) tile1x8(a + <usize>i * samB, sakB, panel, stride, K, cj + <usize>i * ldc, bias, j, relu, cols);
  }
}
