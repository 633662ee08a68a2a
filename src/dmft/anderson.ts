/**
 * Anderson acceleration (type II, Walker & Ni 2011) of a fixed-point iteration x ← g(x): the next
 * iterate is the combination of the last few g-values whose residuals g(x) − x combine to the
 * smallest (weighted) norm. Used by the adaptive DMFT solver, whose self-consistent row solve is
 * a contraction that becomes slow near marginal (aging) states.
 */
export class Anderson {
  private readonly depth: number;
  private readonly cap: number;
  /** Ring buffers of differences of residuals (ΔF) and of g-values (ΔG), `depth` columns. */
  private readonly dF: Float64Array[];
  private readonly dG: Float64Array[];
  private readonly prevF: Float64Array;
  private readonly prevG: Float64Array;
  private readonly f: Float64Array;
  private count = 0;
  private head = 0;
  private n = 0;

  /**
   * @param cap largest vector length
   * @param depth number of previous iterates used (≥ 1)
   */
  constructor(cap: number, depth: number) {
    this.cap = cap;
    this.depth = depth;
    this.dF = Array.from({ length: depth }, () => new Float64Array(cap));
    this.dG = Array.from({ length: depth }, () => new Float64Array(cap));
    this.prevF = new Float64Array(cap);
    this.prevG = new Float64Array(cap);
    this.f = new Float64Array(cap);
  }

  /** Forget the history (call before a new fixed-point problem of length n). */
  reset(n: number): void {
    if (n > this.cap) throw new RangeError(`Anderson: length ${n} exceeds capacity ${this.cap}`);
    this.n = n;
    this.count = 0;
    this.head = 0;
  }

  /**
   * One accelerated step: given the iterate x and g = g(x) (length n, weights w scaling each
   * component's residual), overwrites x with the next iterate.
   * @example
   * // x = cos(x): plain iteration needs ~60 steps for 1e-12; Anderson about 8
   * const aa = new Anderson(1, 3);
   * aa.reset(1);
   * const x = Float64Array.of(1);
   * for (let k = 0; k < 10; k++) aa.step(x, Float64Array.of(Math.cos(x[0])), Float64Array.of(1));
   * x[0]; // ≈ 0.7390851332151607
   */
  step(x: Float64Array, g: Float64Array, w: Float64Array): void {
    const n = this.n;
    const f = this.f;
    for (let k = 0; k < n; k++) f[k] = (g[k] - x[k]) * w[k];
    if (this.count > 0) {
      const col = this.head;
      const dF = this.dF[col];
      const dG = this.dG[col];
      for (let k = 0; k < n; k++) {
        dF[k] = f[k] - this.prevF[k];
        dG[k] = g[k] - this.prevG[k];
      }
      this.head = (this.head + 1) % this.depth;
    }
    const cols = Math.min(this.count, this.depth);
    this.prevF.set(f.subarray(0, n));
    this.prevG.set(g.subarray(0, n));
    this.count++;
    if (cols === 0) {
      x.set(g.subarray(0, n));
      return;
    }
    // Normal equations (ΔFᵀΔF + λ I) γ = ΔFᵀ f, tiny and regularised.
    const M = new Float64Array(cols * cols);
    const rhs = new Float64Array(cols);
    for (let a = 0; a < cols; a++) {
      const fa = this.dF[a];
      let r = 0;
      for (let k = 0; k < n; k++) r += fa[k] * f[k];
      rhs[a] = r;
      for (let b = 0; b <= a; b++) {
        const fb = this.dF[b];
        let s = 0;
        for (let k = 0; k < n; k++) s += fa[k] * fb[k];
        M[a * cols + b] = s;
        M[b * cols + a] = s;
      }
    }
    let trace = 0;
    for (let a = 0; a < cols; a++) trace += M[a * cols + a];
    for (let a = 0; a < cols; a++) M[a * cols + a] += 1e-10 * trace + 1e-300;
    const gamma = solveSmall(M, rhs, cols);
    for (let k = 0; k < n; k++) {
      let v = g[k];
      for (let a = 0; a < cols; a++) v -= gamma[a] * this.dG[a][k];
      x[k] = v;
    }
  }
}

/** Gaussian elimination with partial pivoting on a small dense system (destroys M and b). */
function solveSmall(M: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[p * n + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const tmp = M[c * n + k];
        M[c * n + k] = M[p * n + k];
        M[p * n + k] = tmp;
      }
      const tb = b[c];
      b[c] = b[p];
      b[p] = tb;
    }
    const d = M[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const q = M[r * n + c] / d;
      if (q === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k] -= q * M[c * n + k];
      b[r] -= q * b[c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= M[r * n + k] * x[k];
    x[r] = s / M[r * n + r];
  }
  return x;
}
