import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fmt = (n, digits = 0) => (n === undefined || n === null ? '—' : Number(n).toFixed(digits));

/** One row per case; `ratio` compares req/s with the reference measured in the same run. */
export function printTable(rows) {
  const header = ['case', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'reference', 'ref req/s', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [
    r.title,
    fmt(r.rps),
    fmt(r.p50),
    fmt(r.p99),
    fmt(r.errors),
    r.reference?.title ?? '',
    fmt(r.reference?.rps),
    r.ratio === undefined ? '' : `${fmt(r.ratio, 2)}×`,
    r.target === undefined ? '' : `≥ ${fmt(r.target, 2)}×`,
    r.target === undefined ? '' : r.ratio >= r.target ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(line)].join('\n');
}

/** A horizontal bar chart of each case's ratio to its reference, with the target marked. */
export function ratioChartSvg(rows, subtitle) {
  const bars = rows.filter((r) => r.ratio !== undefined);
  const width = 760;
  const left = 330;
  const barHeight = 22;
  const gap = 10;
  const top = 50;
  const maxRatio = Math.max(1.5, ...bars.map((r) => r.ratio), ...bars.map((r) => r.target ?? 0));
  const scale = (width - left - 60) / maxRatio;
  const height = top + bars.length * (barHeight + gap) + 30;
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">req/s as a ratio of the reference measured in the same run</text>`,
    `<text x="10" y="38" fill="#555">${esc(subtitle)}</text>`,
    `<line x1="${left + scale}" y1="${top - 6}" x2="${left + scale}" y2="${height - 24}" stroke="#999" stroke-dasharray="3,3"/>`,
    `<text x="${left + scale - 6}" y="${height - 10}" fill="#555">1.0×</text>`,
  ];
  bars.forEach((r, i) => {
    const y = top + i * (barHeight + gap);
    const met = r.target === undefined || r.ratio >= r.target;
    parts.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(r.title)}</text>`);
    parts.push(
      `<rect x="${left}" y="${y}" width="${Math.max(1, r.ratio * scale)}" height="${barHeight}" fill="${met ? '#2b8a3e' : '#c92a2a'}"/>`,
    );
    parts.push(`<text x="${left + r.ratio * scale + 6}" y="${y + 15}">${r.ratio.toFixed(2)}×</text>`);
    if (r.target !== undefined) {
      const x = left + r.target * scale;
      parts.push(`<line x1="${x}" y1="${y - 2}" x2="${x}" y2="${y + barHeight + 2}" stroke="black" stroke-width="2"/>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function writeResults(dir, result) {
  mkdirSync(dir, { recursive: true });
  const stamp = result.mode === 'quick' ? 'quick' : 'latest';
  writeFileSync(join(dir, `${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(dir, `${stamp}.svg`), ratioChartSvg(result.rows, `${result.machine} · ${result.date} · ${result.mode}`) + '\n');
  return { json: join(dir, `${stamp}.json`), svg: join(dir, `${stamp}.svg`) };
}

/** Where the README shows the latest full run: `npm run bench` rewrites what is between these. */
export const README_MARKERS = ['<!-- bench-results:start -->', '<!-- bench-results:end -->'];

/**
 * The README's results section for one full run (`result` as written to latest.json): the
 * machine and date, one Markdown row per case with its reference and ratio, the RSS and archival
 * figures, and the chart. playground-e2e's bench-results test holds the README to latest.json.
 */
export function markdownResults(result) {
  const met = (r) => (r.target === undefined ? '—' : `≥ ${fmt(r.target, 2)}× ${r.ratio >= r.target ? '✓' : '✗'}`);
  const rows = result.rows.map(
    (r) =>
      `| ${r.title} | ${fmt(r.rps)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.reference?.title ?? ''} | ${fmt(r.reference?.rps)} | ${fmt(r.ratio, 2)}× | ${met(r)} |`,
  );
  const rss = Object.entries(result.rssMb)
    .map(([name, mb]) => `${name} ${mb} MB`)
    .join(', ');
  return [
    `Latest full run, ${result.date.slice(0, 10)}, on ${result.machine} (the load generator shares the`,
    'machine with the servers, so ratios — not absolute figures — are what carries over):',
    '',
    '| case | req/s | p50 ms | p99 ms | reference | ref req/s | ratio | target |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `One archival run of all ${result.archival.countriesArchived} countries: ${result.archival.wallMs} ms. RSS once idle after the run:`,
    `${rss} (target < ${result.rssTargetMb} MB). ${result.errors} errors.`,
    '',
    '![bench ratios](bench/results/latest.svg)',
  ].join('\n');
}

/** Replaces the README's results section (between README_MARKERS) with `markdownResults(result)`. */
export function updateReadme(readmePath, result) {
  const readme = readFileSync(readmePath, 'utf8');
  const [start, end] = README_MARKERS;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${readmePath} has no ${start} … ${end} section`);
  writeFileSync(readmePath, `${readme.slice(0, from + start.length)}\n${markdownResults(result)}\n${readme.slice(to)}`);
}
