// The results model: named cells of samples per area, with their summaries, targets and notes.
import { type Summary, summarize } from './stats.js';

export interface Target {
  stat: 'p50' | 'p95' | 'p99' | 'max' | 'mean';
  max: number;
  label: string;
  /** `ratio`: `max` bounds the cell's ratio to its baseline (p50 over p50), not the stat itself. */
  of?: 'ratio';
}

export interface Cell {
  area: string;
  name: string;
  unit: string;
  samples: number[];
  summary: Summary;
  baseline?: string;
  ratio?: number | null;
  target?: Target;
  note?: string;
}

export interface Results {
  startedAt: string;
  host: string;
  node: string;
  cpus: number;
  options: Record<string, unknown>;
  cells: Cell[];
  facts: Record<string, unknown>;
  leftovers: Record<string, unknown>;
  errors: string[];
}

// Add a cell of samples to the results and return it.
export function addCell(results: Results, cell: Omit<Cell, 'summary'>): Cell {
  const full: Cell = { ...cell, summary: summarize(cell.samples) };
  results.cells.push(full);
  return full;
}

// Find a cell by area and name.
export function findCell(results: Results, area: string, name: string): Cell | undefined {
  return results.cells.find((c) => c.area === area && c.name === name);
}
