/**
 * Assembling a figure: Observable Plot draws one chart per `<svg>`, so multi-panel
 * figures (m, e, μ against t; λ_min, overlap, m along one run) are nested `<svg>`
 * panels inside one outer `<svg>`, with an SVG legend strip on top. The outer
 * element carries `xmlns`, explicit width/height, a white background and the font,
 * so it stands alone as a file and renders identically in resvg and browsers.
 */
import { drawLegend, type LegendEntry, svgEl } from './legend.ts';
import { FONT_FAMILY, FONT_SIZE, SVG_NS } from './theme.ts';

/** One chart placed in the figure. */
export interface PanelPlacement {
  /** The chart, as returned by `Plot.plot` (an `<svg>`). */
  svg: SVGSVGElement;
  /** Left edge in px, relative to the panel area. */
  x: number;
  /** Top edge in px, relative to the panel area (below the legend). */
  y: number;
  /** A bold heading drawn at the top-left of the panel, inside its top margin. */
  title?: string;
  /** Horizontal position of the title inside the panel (default 0). */
  titleX?: number;
}

/** Options of {@link composeFigure}. */
export interface ComposeOptions {
  /** Total width in px. */
  width: number;
  /** Height of the panel area in px (the legend strip is added on top). */
  panelHeight: number;
  panels: readonly PanelPlacement[];
  /** Legend entries, drawn as SVG above the panels; pass several groups to stack them as separate tables. */
  legend?: readonly LegendEntry[] | readonly (readonly LegendEntry[])[];
  /** Left inset of the legend (usually the panels' left margin). */
  legendX?: number;
  /** Base font size in px. */
  fontSize?: number;
  /** Accessible name of the figure (also used by tests to find figures). */
  ariaLabel: string;
}

/**
 * Nest chart panels and a legend into one standalone `<svg>`.
 * @example
 * const fig = composeFigure(document, { width: 640, panelHeight: 400, panels: [{ svg, x: 0, y: 0 }], ariaLabel: 'demo' });
 * fig.getAttribute('xmlns'); // 'http://www.w3.org/2000/svg'
 */
export function composeFigure(doc: Document, options: ComposeOptions): SVGSVGElement {
  const fontSize = options.fontSize ?? FONT_SIZE;
  const pad = 8;
  // Legend groups (e.g. colours of a family, then line styles) are laid out as separate tables, stacked.
  const groups: (readonly LegendEntry[])[] =
    options.legend === undefined || options.legend.length === 0
      ? []
      : Array.isArray(options.legend[0])
        ? (options.legend as readonly (readonly LegendEntry[])[]).filter((g) => g.length > 0)
        : [options.legend as readonly LegendEntry[]];
  let legendHeight = 0;
  const legendNodes: SVGGElement[] = [];
  for (const group of groups) {
    const drawn = drawLegend(doc, group, {
      width: options.width - (options.legendX ?? pad) - pad,
      fontSize,
      x: options.legendX ?? pad,
      y: pad + legendHeight,
    });
    legendNodes.push(drawn.node);
    legendHeight += drawn.height;
  }
  const legend = groups.length === 0 ? undefined : { height: legendHeight };
  const top = legend === undefined ? 0 : legend.height + pad;
  const height = Math.ceil(top + options.panelHeight);
  const root = svgEl(doc, 'svg', {
    xmlns: SVG_NS,
    width: options.width,
    height,
    viewBox: `0 0 ${options.width} ${height}`,
    'font-family': FONT_FAMILY,
    'font-size': fontSize,
    fill: 'currentColor',
    color: '#222222',
    'aria-label': options.ariaLabel,
    role: 'img',
  });
  // A <title> names the figure for screen readers and as a browser tooltip (renderers ignore it).
  const title = svgEl(doc, 'title');
  title.textContent = options.ariaLabel;
  root.append(title, svgEl(doc, 'rect', { x: 0, y: 0, width: options.width, height, fill: 'white' }));
  for (const node of legendNodes) root.append(node);
  for (const panel of options.panels) {
    const svg = panel.svg;
    svg.setAttribute('x', String(panel.x));
    svg.setAttribute('y', String(top + panel.y));
    // Plot sets a 10 px system-ui font on each chart; use the figure's instead.
    svg.setAttribute('font-family', FONT_FAMILY);
    svg.setAttribute('font-size', String(fontSize));
    svg.removeAttribute('style');
    root.append(svg);
    if (panel.title !== undefined) {
      const t = svgEl(doc, 'text', {
        x: panel.x + (panel.titleX ?? 0),
        y: top + panel.y + fontSize + 2,
        'font-weight': 'bold',
        'text-anchor': 'start',
        'aria-label': 'panel title',
      });
      t.textContent = panel.title;
      root.append(t);
    }
  }
  return root;
}
