// The README's benchmark section is the latest full run, not a hand-copied table: `npm run bench`
// writes bench/results/latest.json and rewrites the README between the bench-results markers
// from the same figures. This test holds the two together, so an edited table or a stale
// results file shows up here.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

interface Row {
  title: string;
  rps: number;
  ratio?: number;
  target?: number;
  reference?: { title: string; rps: number };
}
const latest = JSON.parse(readFileSync(resolve(root, 'bench/results/latest.json'), 'utf8')) as {
  mode: string;
  date: string;
  rows: Row[];
  errors: number;
};

/** The README's table rows, as cells, between the markers. */
function readmeRows(): string[][] {
  const start = readme.indexOf('<!-- bench-results:start -->');
  const end = readme.indexOf('<!-- bench-results:end -->');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| case ') && !line.startsWith('|---'))
    .map((line) =>
      line
        .slice(2, -2)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

describe('the README benchmark section', () => {
  it('comes from a full run with no errors', () => {
    expect(latest.mode).toBe('full');
    expect(latest.errors).toBe(0);
    expect(readme).toContain(`Latest full run, ${latest.date.slice(0, 10)}`);
  });

  it('shows every case of bench/results/latest.json with its figures, reference, ratio and target', () => {
    const shown = readmeRows();
    expect(shown.map((cells) => cells[0])).toEqual(latest.rows.map((row) => row.title));
    for (const [i, row] of latest.rows.entries()) {
      const [, rps, , , reference, referenceRps, ratio, target] = shown[i];
      expect({ title: row.title, rps, reference, referenceRps, ratio }).toEqual({
        title: row.title,
        rps: row.rps.toFixed(0),
        reference: row.reference?.title ?? '',
        referenceRps: row.reference ? row.reference.rps.toFixed(0) : '—',
        ratio: `${(row.ratio ?? NaN).toFixed(2)}×`,
      });
      if (row.target === undefined) expect(target).toBe('—');
      else expect(target).toBe(`≥ ${row.target.toFixed(2)}× ${(row.ratio ?? 0) >= row.target ? '✓' : '✗'}`);
    }
  });
});
