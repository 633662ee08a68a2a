/**
 * Observation times of a run (THEORY §2, "observables along a run"): linear or
 * logarithmic spacing on [0, tmax], always including t = 0 and t = tmax.
 */

/** How observation times are spaced. */
export interface ObservationSchedule {
  /** `linear`: equal spacing; `log`: geometric spacing from `tmin` to `tmax` (plus t = 0). */
  readonly spacing: 'linear' | 'log';
  /** Number of observations after t = 0 (≥ 1). */
  readonly count: number;
  /** First positive time of a logarithmic schedule (0 < tmin < tmax; default tmax·10⁻³). */
  readonly tmin?: number;
}

/**
 * The sorted, distinct observation times `0 = t_0 < t_1 < … < t_count = tmax`.
 * @example
 * observationTimes(10, { spacing: 'linear', count: 5 }); // [0, 2, 4, 6, 8, 10]
 * observationTimes(100, { spacing: 'log', count: 2, tmin: 1 }); // [0, 1, 100]
 */
export function observationTimes(tmax: number, schedule: ObservationSchedule): Float64Array {
  if (!(tmax > 0) || !Number.isFinite(tmax)) throw new RangeError(`tmax must be finite and > 0, got ${tmax}`);
  const { count } = schedule;
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`observation count must be an integer ≥ 1, got ${count}`);
  const times = new Float64Array(count + 1);
  if (schedule.spacing === 'linear') {
    // t_k = k·tmax/count computed directly (no accumulated rounding).
    for (let k = 1; k <= count; k++) times[k] = (k * tmax) / count;
  } else {
    const tmin = schedule.tmin ?? tmax * 1e-3;
    if (!(tmin > 0 && tmin < tmax)) throw new RangeError(`tmin must be in (0, tmax), got ${tmin}`);
    if (count === 1) {
      times[1] = tmax;
    } else {
      const ratio = Math.log(tmax / tmin);
      for (let k = 1; k <= count; k++) times[k] = tmin * Math.exp((ratio * (k - 1)) / (count - 1));
    }
  }
  times[count] = tmax;
  return times;
}

/**
 * Observation steps of a fixed-step method (gradient descent, Langevin) with step
 * `dt`: each requested time is rounded to the nearest step `k = round(t/dt)`,
 * duplicates are dropped, and the last step `round(tmax/dt)` is always included.
 * The recorded time of an observation is then `k·dt` exactly.
 * @example
 * observationSteps(Float64Array.of(0, 0.26, 0.3, 1), 0.1); // [0, 3, 10]
 */
export function observationSteps(times: Float64Array, dt: number): number[] {
  const steps: number[] = [];
  for (const t of times) {
    const k = Math.round(t / dt);
    if (steps.length === 0 || k > steps[steps.length - 1]) steps.push(k);
  }
  return steps;
}
