/**
 * The registry of CLI commands: each module exports `command: CommandModule`. Modules are
 * imported only when their command runs (start-up time: `--help` loads none of them), so
 * each entry carries the one-line summary the top-level help lists; a test keeps it equal
 * to the module's own description. Add one entry per command.
 */
import type { CommandModule } from '../command.ts';

export interface CommandEntry {
  readonly name: string;
  /** The command's description, as its module registers it. */
  readonly summary: string;
  load(): Promise<CommandModule>;
}

export const commands: readonly CommandEntry[] = [
  {
    name: 'version',
    summary: 'print the saddlesurf, Node.js and platform versions',
    load: async () => (await import('./version.ts')).command,
  },
  {
    name: 'sample',
    summary: 'draw a finite-N instance (signal, matrix, packed tensor) and write it as .npz',
    load: async () => (await import('./sample.ts')).command,
  },
  {
    name: 'amp',
    summary:
      'run ML-AMP or Bayes-AMP on one instance next to its state evolution (or the state evolution alone)',
    load: async () => (await import('./amp.ts')).command,
  },
  {
    name: 'thresholds',
    summary: 'every threshold line of the phase diagram at one Δp, as 1/Δ2 (THEORY §5)',
    load: async () => (await import('./thresholds.ts')).command,
  },
  {
    name: 'landscape',
    summary:
      'Kac–Rice complexity of minima and stationary points, threshold states, Hessian spectra (THEORY §4)',
    load: async () => (await import('./landscape.ts')).command,
  },
  {
    name: 'phase-diagram',
    summary: 'all threshold lines on a grid of Δp and the Bayes-optimal regions (THEORY §5, §6)',
    load: async () => (await import('./phase-diagram.ts')).command,
  },
  {
    name: 'flow',
    summary:
      'run gradient flow, gradient descent or Langevin dynamics on one instance and record m, e, μ, |grad|, Hessian',
    load: async () => (await import('./flow.ts')).command,
  },
  {
    name: 'dmft',
    summary: 'integrate the large-N (CHSCK) dynamics: m(t), μ(t), e(t) from overlap m0 (THEORY §3)',
    load: async () => (await import('./dmft.ts')).command,
  },
  {
    name: 'reproduce',
    summary:
      "reproduce the paper's figures (phase diagrams, dynamics, surfing, complexity, escape times, ML-AMP vs GF) and two beyond it (finite-N census, annealing) with their data and report.html",
    load: async () => (await import('./reproduce.ts')).command,
  },
  {
    name: 'census',
    summary:
      'census of one or more instances: many descents to stationary points, classified by Hessian index and overlap, distinct minima counted and compared with Kac–Rice',
    load: async () => (await import('./census.ts')).command,
  },
  {
    name: 'sweep',
    summary: 'run one command over a parameter grid on every core or on Redis workers (resumable)',
    load: async () => (await import('./sweep.ts')).command,
  },
  {
    name: 'worker',
    summary: 'run sweep tasks from a Redis queue (saddlesurf sweep --redis) until stopped',
    load: async () => (await import('./worker.ts')).command,
  },
  {
    name: 'serve',
    summary: 'serve the in-browser explorer (built by npm run build:web) on http://127.0.0.1:PORT/',
    load: async () => (await import('./serve.ts')).command,
  },
];
