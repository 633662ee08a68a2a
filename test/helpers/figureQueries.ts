/**
 * Helpers for the figure tests: structural queries on a rendered figure (texts,
 * mark groups by their `aria-description`, path data) and checks that no NaN or
 * Infinity leaked into the geometry. Only tests import this module.
 */
import { svgToPng, svgToString } from '../../src/plot/headless.ts';

/** Text content of every `<text>` element, in document order. */
export function texts(root: Element): string[] {
  return [...root.querySelectorAll('text')].map((t) => t.textContent ?? '');
}

/** Texts of all legend entries (every legend group of the figure), in order. */
export function legendTexts(root: Element): string[] {
  return [...root.querySelectorAll('g')]
    .filter((g) => g.getAttribute('aria-label') === 'legend')
    .flatMap((g) => texts(g));
}

/** Mark groups that Plot tagged with this `aria-description` (see the builders' `ariaDescription`). */
export function marks(root: Element, description: string): Element[] {
  return [...root.querySelectorAll('g')].filter((g) => g.getAttribute('aria-description') === description);
}

/** Mark groups whose `aria-description` starts with `prefix`. */
export function marksWithPrefix(root: Element, prefix: string): Element[] {
  return [...root.querySelectorAll('g')].filter((g) =>
    (g.getAttribute('aria-description') ?? '').startsWith(prefix),
  );
}

/** Number of `<path>` elements directly drawn by a mark group. */
export function pathCount(group: Element): number {
  return group.querySelectorAll('path').length;
}

/** Every attribute value in the figure that carries geometry. */
export function geometry(root: Element): string[] {
  const names = [
    'd',
    'x',
    'y',
    'x1',
    'x2',
    'y1',
    'y2',
    'cx',
    'cy',
    'r',
    'width',
    'height',
    'transform',
    'viewBox',
  ];
  const out: string[] = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const n of names) {
      const v = el.getAttribute(n);
      if (v !== null) out.push(v);
    }
  }
  return out;
}

/** True when no geometry attribute contains NaN or Infinity. */
export function geometryIsFinite(root: Element): boolean {
  return geometry(root).every((v) => !/NaN|Infinity/.test(v));
}

/** Vertices (x, y) of a path made of M/L commands (as Plot writes lines with a linear curve). */
export function pathVertices(d: string): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (const m of d.matchAll(/[ML]\s*(-?[\d.e+-]+)[ ,](-?[\d.e+-]+)/g))
    out.push({ x: Number(m[1]), y: Number(m[2]) });
  return out;
}

/** Parse `translate(x,y)` from a transform attribute. */
export function translation(transform: string | null): { x: number; y: number } {
  const m = /translate\(\s*(-?[\d.e+-]+)[ ,]\s*(-?[\d.e+-]+)\s*\)/.exec(transform ?? '');
  if (m === null) throw new Error(`no translate in "${transform}"`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/**
 * Position of each tick label of an axis, keyed by its text: Plot writes tick
 * labels as `<text transform="translate(x,y)">`.
 */
export function tickPositions(root: Element, axis: 'x' | 'y'): Map<string, { x: number; y: number }> {
  const map = new Map<string, { x: number; y: number }>();
  for (const g of root.querySelectorAll('g')) {
    if (g.getAttribute('aria-label') !== `${axis}-axis tick label`) continue;
    for (const t of g.querySelectorAll('text'))
      map.set(t.textContent ?? '', translation(t.getAttribute('transform')));
  }
  return map;
}

/** The stroke-dasharray a mark group draws with (Plot may put it on an inner group), or null. */
export function dashOf(group: Element): string | null {
  if (group.getAttribute('stroke-dasharray') !== null) return group.getAttribute('stroke-dasharray');
  return group.querySelector('[stroke-dasharray]')?.getAttribute('stroke-dasharray') ?? null;
}

/** Centres of the markers of a dot mark: `<circle cx cy>` or symbol paths placed by `translate`. */
export function markerCentres(group: Element): { x: number; y: number }[] {
  const circles = [...group.querySelectorAll('circle')];
  if (circles.length > 0)
    return circles.map((c) => ({ x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')) }));
  return [...group.querySelectorAll('path')].map((p) => translation(p.getAttribute('transform')));
}

/**
 * Whether every data mark of a chart panel stays inside its frame: path vertices,
 * marker centres, rule ends and rect corners of the groups tagged with an
 * `aria-description` (text labels excluded). The frame is Plot's `frame` mark.
 */
export function marksInsideFrame(panel: Element, tolerance = 1e-3): boolean {
  // Plot writes the frame mark as a bare <rect aria-label="frame">.
  const rect = [...panel.querySelectorAll('rect')].find((r) => r.getAttribute('aria-label') === 'frame');
  if (rect === undefined) throw new Error('no frame mark');
  const x0 = Number(rect.getAttribute('x'));
  const y0 = Number(rect.getAttribute('y'));
  const x1 = x0 + Number(rect.getAttribute('width'));
  const y1 = y0 + Number(rect.getAttribute('height'));
  const ok = (x: number, y: number) =>
    x >= x0 - tolerance && x <= x1 + tolerance && y >= y0 - tolerance && y <= y1 + tolerance;
  const groups = [...panel.querySelectorAll('g')].filter((g) => {
    const d = g.getAttribute('aria-description');
    return d !== null && !d.includes('label');
  });
  for (const g of groups) {
    for (const p of g.querySelectorAll('path')) {
      if (p.getAttribute('transform') !== null) {
        const c = translation(p.getAttribute('transform'));
        if (!ok(c.x, c.y)) return false;
      } else if (!pathVertices(p.getAttribute('d') ?? '').every((v) => ok(v.x, v.y))) return false;
    }
    for (const c of g.querySelectorAll('circle'))
      if (!ok(Number(c.getAttribute('cx')), Number(c.getAttribute('cy')))) return false;
    for (const l of g.querySelectorAll('line')) {
      const n = (a: string) => Number(l.getAttribute(a));
      if (!ok(n('x1'), n('y1')) || !ok(n('x2'), n('y2'))) return false;
    }
    for (const r of g.querySelectorAll('rect')) {
      const n = (a: string) => Number(r.getAttribute(a) ?? 0);
      if (!ok(n('x'), n('y')) || !ok(n('x') + n('width'), n('y') + n('height'))) return false;
    }
  }
  return true;
}

/** The PNG signature, 0x89 'P' 'N' 'G' CR LF SUB LF. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Serialise and rasterise at 2× (as the CLI does). */
export function renderPng(svg: SVGSVGElement): { svgText: string; png: Uint8Array } {
  const svgText = svgToString(svg);
  return { svgText, png: svgToPng(svgText, { scale: 2 }) };
}
