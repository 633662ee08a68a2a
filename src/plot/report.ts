/**
 * `report.html`: one self-contained page with every figure inline (SVG), a caption
 * stating its parameters and key numbers, links to the data files beside it, and
 * a provenance block. No scripts, no external fonts, styles or images: the page
 * works offline and from a file:// URL, and prints cleanly.
 */

/** One figure of the report. */
export interface ReportSection {
  /** Anchor id, unique in the report (letters, digits, `-`, `_`). */
  id: string;
  title: string;
  /** Plain text; states parameters and key numbers. Paragraphs separated by blank lines. */
  caption: string;
  /** The figure as a standalone SVG document (e.g. from `svgToString`). */
  svg: string;
  /** Relative paths of the files with the data behind the figure (CSV, JSON, PNG). */
  dataFiles: readonly string[];
}

/** Provenance of the run that produced the report. */
export interface ReportMeta {
  /** Package version. */
  version: string;
  /** ISO time stamp of the run. */
  generated?: string;
  /** The command line that produced the report. */
  command?: string;
  /** Master seed. */
  seed?: number | string;
  /** Every parameter of the run (shown as JSON). */
  parameters?: Record<string, unknown>;
  /** Free-text remarks (conventions, caveats). */
  notes?: readonly string[];
}

/** Input of {@link buildReport}. */
export interface ReportInput {
  title: string;
  sections: readonly ReportSection[];
  meta: ReportMeta;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const ID_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Prepare a standalone SVG document for inlining: drop the XML declaration and
 * make element ids unique per figure (Plot numbers its clip paths per process, so
 * two figures rendered separately can share an id, and inline SVGs share one id
 * space with the page).
 */
function inlineSvg(svg: string, prefix: string): string {
  if (/<script\b/i.test(svg) || /\son[a-z]+\s*=/i.test(svg)) {
    throw new Error(`buildReport: section ${prefix}: SVG contains script; figures must be static`);
  }
  return svg
    .replace(/<\?xml[^>]*\?>\s*/g, '')
    .replace(/\sid="([^"]+)"/g, ` id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`)
    .trim();
}

function checkDataFile(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('//')) {
    throw new Error(`buildReport: data file "${path}" must be a relative path next to the report`);
  }
  return path;
}

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
}

const CSS = `
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', Verdana, sans-serif; color: #222; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 60px; }
h1 { font-size: 1.6em; margin: 0.2em 0 0.4em; }
h2 { font-size: 1.2em; margin: 2em 0 0.5em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
nav ol { padding-left: 1.4em; }
figure { margin: 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.95em; margin-top: 0.6em; }
figcaption p { margin: 0.4em 0; }
.files { font-size: 0.9em; color: #444; }
.files a { color: #0b5394; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
pre { background: #f6f6f6; padding: 10px; overflow-x: auto; font-size: 0.85em; }
@media print { section { break-inside: avoid; } nav { display: none; } }
`;

/**
 * Build the self-contained HTML report.
 * @example
 * const html = buildReport({ title: 'saddlesurf', sections: [{ id: 'phase', title: 'Phase diagram', caption: 'p = 3', svg, dataFiles: ['phase.csv'] }], meta: { version: '0.1.0' } });
 * html.startsWith('<!DOCTYPE html>'); // true
 */
export function buildReport(input: ReportInput): string {
  const ids = new Set<string>();
  for (const s of input.sections) {
    if (!ID_RE.test(s.id)) throw new Error(`buildReport: section id "${s.id}" must match ${ID_RE}`);
    if (ids.has(s.id)) throw new Error(`buildReport: duplicate section id "${s.id}"`);
    ids.add(s.id);
  }
  const toc = input.sections
    .map((s, i) => `<li><a href="#${s.id}">Figure ${i + 1}. ${escapeHtml(s.title)}</a></li>`)
    .join('\n');
  const body = input.sections
    .map((s, i) => {
      const files = s.dataFiles
        .map(checkDataFile)
        .map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`)
        .join(', ');
      return `<section id="${s.id}">
<h2>Figure ${i + 1}. ${escapeHtml(s.title)}</h2>
<figure>
${inlineSvg(s.svg, `fig${i + 1}`)}
<figcaption>
${paragraphs(s.caption)}
${files.length > 0 ? `<p class="files">Data: ${files}</p>` : ''}
</figcaption>
</figure>
</section>`;
    })
    .join('\n');
  const m = input.meta;
  const rows: [string, string][] = [['version', m.version]];
  if (m.generated !== undefined) rows.push(['generated', m.generated]);
  if (m.command !== undefined) rows.push(['command', m.command]);
  if (m.seed !== undefined) rows.push(['seed', String(m.seed)]);
  const dl = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('\n');
  const params =
    m.parameters !== undefined
      ? `<h3>Parameters</h3>\n<pre>${escapeHtml(JSON.stringify(m.parameters, null, 2))}</pre>`
      : '';
  const notes =
    m.notes !== undefined && m.notes.length > 0
      ? `<h3>Notes</h3>\n<ul>${m.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('\n')}</ul>`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(input.title)}</h1>
<nav><ol>
${toc}
</ol></nav>
${body}
<section id="provenance">
<h2>Provenance</h2>
<dl class="meta">
${dl}
</dl>
${params}
${notes}
</section>
</main>
</body>
</html>
`;
}
