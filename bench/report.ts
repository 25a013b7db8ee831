// Writing results: bench/results/<date>-<host>.json with every sample, and the figures table for RESULTS.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Cell, findCell, type Results } from './record.js';
import { computeRatio } from './stats.js';

// Fill each cell's ratio against its named baseline (p50 over p50).
export function applyBaselines(results: Results): void {
  for (const cell of results.cells) {
    if (!cell.baseline) continue;
    const base = findCell(results, cell.area, cell.baseline);
    cell.ratio = computeRatio(cell.summary.p50, base?.summary.p50);
  }
}

// Write the JSON results file; returns its path.
export function writeResultsJson(results: Results, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const date = results.startedAt.slice(0, 10);
  const file = join(dir, `${date}-${results.host}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
  writeFileSync(file.replace(/\.json$/, '.md'), `${formatTable(results)}\n`);
  return file;
}

// "met" / "missed by X" for a cell with a target.
function describeTarget(cell: Cell): string {
  if (!cell.target) return '';
  const value = cell.target.of === 'ratio' ? (cell.ratio ?? Number.NaN) : cell.summary[cell.target.stat];
  if (!Number.isFinite(value)) return `${cell.target.label}: no data`;
  const precision = cell.target.of === 'ratio' ? 100 : 10;
  const diff = Math.round((value - cell.target.max) * precision) / precision;
  return diff <= 0
    ? `${cell.target.label}: met (${-diff} under)`
    : `${cell.target.label}: **missed by ${diff}**`;
}

// The markdown table of every cell, grouped by area.
export function formatTable(results: Results): string {
  const lines: string[] = [];
  let area = '';
  for (const cell of results.cells) {
    if (cell.area !== area) {
      area = cell.area;
      lines.push(
        '',
        `### ${area}`,
        '',
        '| figure | unit | n | p50 | p95 | p99 | max | ratio | target |',
        '|---|---|---|---|---|---|---|---|---|',
      );
    }
    const s = cell.summary;
    const ratio = cell.ratio == null ? '' : `${cell.ratio}×`;
    lines.push(
      `| ${cell.name}${cell.note ? ` (${cell.note})` : ''} | ${cell.unit} | ${s.n} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} | ${ratio} | ${describeTarget(cell)} |`,
    );
  }
  return lines.join('\n');
}
