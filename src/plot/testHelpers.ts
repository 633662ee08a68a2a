/**
 * Helpers for the figure tests: structural queries on a rendered figure (texts,
 * mark groups by their `aria-description`, path data) and checks that no NaN or
 * Infinity leaked into the geometry. Only tests import this module.
 */
import { svgToPng, svgToString } from './headless.ts';

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

/** The PNG signature, 0x89 'P' 'N' 'G' CR LF SUB LF. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Serialise and rasterise at 2× (as the CLI does). */
export function renderPng(svg: SVGSVGElement): { svgText: string; png: Uint8Array } {
  const svgText = svgToString(svg);
  return { svgText, png: svgToPng(svgText, { scale: 2 }) };
}
