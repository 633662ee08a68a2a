/**
 * Layout of the explorer (issue 13), checked by bounding boxes in Debian's Chromium: no two
 * labels of a figure overlap, axis titles are not covered by a neighbouring chart, the left
 * column carries the threshold table, legends stay legible on a phone-width screen, and the
 * controls say what they change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, type Site, startSite } from './harness.ts';

let site: Site;

beforeAll(async () => {
  site = await startSite();
});

afterAll(async () => {
  await site?.close();
});

/** Pairs of SVG text labels of one figure whose boxes overlap by more than `slack` px each way. */
function overlappingLabels(slack: number) {
  const out: string[] = [];
  for (const fig of document.querySelectorAll('.figure > svg')) {
    const boxes = [...fig.querySelectorAll('text')]
      .filter((t) => (t.textContent ?? '').trim() !== '' && t.getBoundingClientRect().width > 0)
      .map((t) => ({ text: (t.textContent ?? '').trim(), r: t.getBoundingClientRect() }));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > slack && h > slack)
          out.push(`${fig.closest('section')?.id}: "${boxes[i]!.text}" × "${boxes[j]!.text}"`);
      }
  }
  return out;
}

describe('explorer layout', () => {
  it('has no overlapping labels and no axis title covered by another chart', async () => {
    const { page, context, errors } = await openPage(site, '?p=3&dp=1&snr=3&t=30&n=40');
    for (const id of ['phase', 'complexity', 'spectrum', 'dynamics'])
      await page.waitForSelector(`#${id}[data-status="done"]`, { timeout: 120_000 });
    // Tick labels of neighbouring ticks may touch; a real overlap is several px each way.
    expect(await page.evaluate(overlappingLabels, 2)).toEqual([]);
    // Every chart's texts lie outside the boxes of the other charts of the same figure.
    const covered = await page.evaluate(() => {
      const out: string[] = [];
      for (const fig of document.querySelectorAll('.figure > svg')) {
        const charts = [...fig.querySelectorAll(':scope > svg')];
        for (const chart of charts)
          for (const t of chart.querySelectorAll('text')) {
            const r = t.getBoundingClientRect();
            if (r.width === 0) continue;
            for (const other of charts) {
              if (other === chart) continue;
              const o = other.getBoundingClientRect();
              const w = Math.min(r.right, o.right) - Math.max(r.left, o.left);
              const h = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
              if (w > 1 && h > 1) out.push(`${fig.closest('section')?.id}: "${t.textContent}"`);
            }
          }
      }
      return out;
    });
    expect(covered).toEqual([]);
    // The threshold table sits in the left column, under the phase diagram.
    expect(await page.locator('.column').first().locator('#thresholds').count()).toBe(1);
    // Picking a point at the same p keeps the drawn phase diagram: its status never leaves "done".
    await page.evaluate(() => {
      const w = window as unknown as { phaseStates: string[] };
      w.phaseStates = [];
      const panel = document.querySelector('#phase')!;
      new MutationObserver(() => w.phaseStates.push(panel.getAttribute('data-status') ?? '')).observe(panel, {
        attributes: true,
        subtree: true,
        childList: true,
      });
    });
    const box = (await page.locator('#phase .figure > svg > svg').first().boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.4);
    await page.waitForFunction(() => new URL(location.href).searchParams.get('snr') !== '3');
    await page.waitForTimeout(500);
    const states = await page.evaluate(() => (window as unknown as { phaseStates: string[] }).phaseStates);
    expect(states.filter((s) => s !== 'done')).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps legends legible on a phone-width screen', async () => {
    const { page, context, errors } = await openPage(site, '?p=3&dp=1&snr=3&t=30&n=40', {
      width: 390,
      height: 844,
    });
    await page.waitForSelector('#complexity[data-status="done"]', { timeout: 120_000 });
    // Legend text is drawn at 13 px in a ≥ 520 px wide figure; on screen it must stay ≥ 10 px
    // tall (it was ~7 px when a 600 px figure shrank to the 340 px column).
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('.figure g[aria-label="legend"] text')]
        .map((t) => t.getBoundingClientRect().height)
        .filter((h) => h > 0),
    );
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(10);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says so when switching to p = 4 lowers N, and a one-run legend has no band', async () => {
    // N = 150: above the p = 4 cap (100), within p = 3's (300).
    const { page, context, errors } = await openPage(site, '?p=3&dp=1&snr=3&t=20&n=150');
    await page.waitForSelector('[data-testid="finite-status"][data-state="done"]', { timeout: 120_000 });
    // One finite-N run: its legend key is a dashed line without the band swatch (a rect).
    const key = await page.evaluate(() => {
      const entries = [...document.querySelectorAll('#dynamics g[aria-label="legend entry"]')];
      const one = entries.find((e) => (e.textContent ?? '').includes('one run'));
      return one === undefined ? null : one.querySelectorAll('rect').length;
    });
    expect(key).toBe(0);
    await page.getByLabel('p = 4').check();
    const notice = page.getByTestId('n-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/N lowered from 150 to 100\b/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens on an m0 small enough that a point below the GF threshold does not escape', async () => {
    // Default m0 (1e-6) at 1/Δ2 = 1.8 < 2 (the GF threshold at p = 3, Δp = 1, THEORY §5).
    const { page, context, errors } = await openPage(site, '?p=3&dp=1&snr=1.8&t=30&n=20');
    expect(new URL(page.url()).searchParams.get('m0')).toBe('0.000001');
    await page.waitForSelector('#dynamics[data-status="done"]', { timeout: 120_000 });
    const status = (await page.getByTestId('dynamics-status').textContent()) ?? '';
    const m = Number(/large N done: m\([^)]*\) = ([-\d.e−]+)/.exec(status)?.[1]?.replace('−', '-'));
    expect(m).toBeLessThan(1e-2);
    expect(errors).toEqual([]);
    await context.close();
  });
});
