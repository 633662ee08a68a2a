/**
 * Every "THEORY §N" / "§N.M" cited by the code, the help texts, captions, benchmarks, scripts and
 * the README is a numbered heading of docs/theory.md, so a reader can follow each citation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['src', 'bench', 'scripts', 'test', 'README.md', 'docs'];
const TEXT = /\.(ts|tsx|md|html|css|js|mjs)$/;

function files(path: string): string[] {
  const full = join(REPO, path);
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(full);
  } catch {
    return [];
  }
  if (stat.isFile()) return TEXT.test(path) ? [path] : [];
  return readdirSync(full).flatMap((name) => files(join(path, name)));
}

/** Section numbers cited as `THEORY §N(.M)*`, with the files citing each. */
function theoryCitations(text: string): string[] {
  return [...text.matchAll(/THEORY §(\d+(?:\.\d+)*)/g)].map((m) => m[1]!);
}

/** Numbers of the `## N.` / `### N.M` headings of a Markdown document. */
function headingNumbers(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#{2,4} (\d+(?:\.\d+)*)\.? /gm)].map((m) => m[1]!.replace(/\.$/, '')),
  );
}

describe('docs/theory.md', () => {
  const theory = readFileSync(join(REPO, 'docs/theory.md'), 'utf8');
  const headings = headingNumbers(theory);

  it('parses headings and citations as intended', () => {
    expect([...headingNumbers('## 1. Model\n### 1.1 Covariance\n## 12 x\n#### 3.2.1 y\n# 9 no\n')]).toEqual([
      '1',
      '1.1',
      '12',
      '3.2.1',
    ]);
    expect(theoryCitations('see THEORY §4.1, THEORY §3 and §5 (THEORY §6.2).')).toEqual(['4.1', '3', '6.2']);
  });

  it('has a heading for every section cited in the repository', () => {
    const missing: string[] = [];
    let cited = 0;
    for (const file of SOURCES.flatMap(files)) {
      if (file.startsWith(join('test', 'docs'))) continue; // this file's own examples
      for (const section of theoryCitations(readFileSync(join(REPO, file), 'utf8'))) {
        cited++;
        if (!headings.has(section)) missing.push(`THEORY §${section} in ${relative('.', file)}`);
      }
    }
    expect(cited).toBeGreaterThan(100); // the scan really reads the sources
    expect([...new Set(missing)]).toEqual([]);
  });

  it('cites its own sections only where they exist', () => {
    const own = [...theory.matchAll(/§(\d+(?:\.\d+)*)/g)].map((m) => m[1]!);
    expect(own.filter((s) => !headings.has(s))).toEqual([]);
  });

  it('names only files and folders that exist (docs/theory.md and the README)', () => {
    const named = ['docs/theory.md', 'README.md'].flatMap((doc) =>
      [
        ...readFileSync(join(REPO, doc), 'utf8').matchAll(
          /`((?:src|docs|scripts|test|bench|bin)\/[\w./-]*)`/g,
        ),
      ].map((m) => m[1]!),
    );
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((path) => files(path).length === 0 && !existsSync(join(REPO, path)))).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toMatch(/\]\(docs\/theory\.md\)/);
  });
});
