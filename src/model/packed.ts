/**
 * Packed storage of a tensor that only has strictly ordered entries (THEORY §1: the
 * tensor channel observes `T_{i1…ip}` for `i1 < … < ip` only).
 *
 * Layout: the C(N, p) entries are stored in lexicographic order of the index tuple
 * `(i1, …, ip)` with `0 ≤ i1 < … < ip < N` (0-based), i.e. the last index runs
 * fastest. For p = 3 that is the loop order
 * `for i < N: for j in (i, N): for k in (j, N)`. The rank of a tuple is
 *
 * `rank(i1,…,ip) = Σ_{r=1}^{p} [ C(N − i_{r−1} − 1, p − r + 1) − C(N − i_r, p − r + 1) ]`, with `i_0 = −1`,
 *
 * (term r counts the tuples that agree on the first r−1 indices and have a smaller
 * r-th index). `packedIndex` evaluates it; `unpackIndex` inverts it.
 */

/**
 * Binomial coefficient C(n, k) as a double: exact while `C(n, k)·n < 2^53`, a close
 * approximation beyond (only used for memory estimates there).
 * @example
 * binomial(300, 3); // 4455100
 */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (k > n - k) k = n - k;
  let c = 1;
  // Each partial product C(n−k+i, i) is an integer; rounding keeps it exact while c·n < 2^53.
  for (let i = 1; i <= k; i++) c = Math.round((c * (n - k + i)) / i);
  return c;
}

/**
 * Position in the packed array of the strictly increasing tuple `idx` (length p, entries in [0, N)).
 * @example
 * packedIndex(5, [0, 1, 2]); // 0
 * packedIndex(5, [2, 3, 4]); // 9 = C(5,3) − 1
 */
export function packedIndex(n: number, idx: ArrayLike<number>): number {
  const p = idx.length;
  let rank = 0;
  let prev = -1;
  for (let r = 0; r < p; r++) {
    const i = idx[r];
    if (!(i > prev) || i >= n)
      throw new RangeError(`packedIndex: indices must be strictly increasing in [0, ${n})`);
    rank += binomial(n - prev - 1, p - r) - binomial(n - i, p - r);
    prev = i;
  }
  return rank;
}

/**
 * The strictly increasing tuple stored at position `rank` (inverse of `packedIndex`).
 * @example
 * unpackIndex(5, 3, 9); // [2, 3, 4]
 */
export function unpackIndex(n: number, p: number, rank: number): number[] {
  const total = binomial(n, p);
  if (!Number.isInteger(rank) || rank < 0 || rank >= total)
    throw new RangeError(`unpackIndex: rank must be an integer in [0, ${total}), got ${rank}`);
  const out: number[] = [];
  let prev = -1;
  for (let r = 0; r < p; r++) {
    const rest = p - r;
    // Tuples whose r-th index is below i: C(N−prev−1, rest) − C(N−i, rest); take the last i with count ≤ rank.
    let i = prev + 1;
    const base = binomial(n - prev - 1, rest);
    while (base - binomial(n - i - 1, rest) <= rank) i++;
    rank -= base - binomial(n - i, rest);
    out.push(i);
    prev = i;
  }
  return out;
}
