/**
 * Whole-process start-up timings of the CLI (README, "Start-up"): each command is run
 * `--runs` times, interleaved with the other commands so that machine load hits all alike,
 * and the median and minimum wall time are printed, with user+system CPU time when
 * /usr/bin/time is available (a steadier number on a busy machine).
 *
 *   node --import tsx scripts/time-startup.ts [--runs 15] [--bin ./bin/saddlesurf] [--bin OTHER]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1] ?? 15) || 15;
const bins = argv.flatMap((a, i) => (a === '--bin' ? [argv[i + 1]!] : []));
if (bins.length === 0) bins.push('./bin/saddlesurf');
const CASES = [['--version'], ['--help'], ['thresholds', '--p', '3', '--deltap', '1']];
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

interface Sample {
  wall: number;
  cpu: number | null;
}

function once(command: string[]): Sample {
  const full = TIME ? [TIME, '-f', '%U %S', ...command] : command;
  const t0 = process.hrtime.bigint();
  const run = spawnSync(full[0]!, full.slice(1), { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (run.status !== 0) throw new Error(`${command.join(' ')} exited ${run.status}: ${run.stderr}`);
  const last = run.stderr.trim().split('\n').at(-1) ?? '';
  const [u, s] = last.split(' ').map(Number);
  return { wall, cpu: TIME && Number.isFinite(u) && Number.isFinite(s) ? u! + s! : null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const jobs = [['node', '-e', '0'], ...bins.flatMap((bin) => CASES.map((c) => [bin, ...c]))];
const samples = new Map<string, Sample[]>(jobs.map((j) => [j.join(' '), []]));
for (let r = 0; r < runs; r++) for (const job of jobs) samples.get(job.join(' '))!.push(once(job));

process.stdout.write(`${runs} runs each, interleaved; seconds\n`);
process.stdout.write(`${'command'.padEnd(62)} wall median   wall min   cpu median\n`);
for (const [name, s] of samples) {
  const cpu = s.every((x) => x.cpu !== null) ? median(s.map((x) => x.cpu!)).toFixed(3) : '—';
  const wall = s.map((x) => x.wall);
  process.stdout.write(
    `${name.padEnd(62)} ${median(wall).toFixed(3).padStart(11)} ${Math.min(...wall)
      .toFixed(3)
      .padStart(10)} ${cpu.padStart(12)}\n`,
  );
}
