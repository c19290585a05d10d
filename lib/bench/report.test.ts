import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable, parseBenchArgs, writeFiguresJson } from '@/lib/bench/report';
import type { Figure } from '@/lib/bench/types';

const KNOWN = ['ingest', 'expressions'];

describe('parseBenchArgs', () => {
  it('runs every suite when none is named, in registry order otherwise', () => {
    expect(parseBenchArgs([], KNOWN)).toEqual({ suites: KNOWN, json: undefined });
    expect(parseBenchArgs(['expressions', 'ingest', '--json', 'out.json'], KNOWN)).toEqual({ suites: KNOWN, json: 'out.json' });
    expect(parseBenchArgs(['--json=f.json', 'expressions'], KNOWN)).toEqual({ suites: ['expressions'], json: 'f.json' });
  });

  it('refuses an unknown suite in one line that lists the suites', () => {
    expect(() => parseBenchArgs(['ingest', 'nope'], KNOWN)).toThrow(/^unknown suite "nope"; the suites are: ingest, expressions$/);
  });

  it('refuses unknown options and a --json without a file', () => {
    expect(() => parseBenchArgs(['--fast'], KNOWN)).toThrow(/--fast.*usage: npm run bench/);
    expect(() => parseBenchArgs(['--json'], KNOWN)).toThrow(/--json/);
  });
});

const FIGURES: Figure[] = [
  { suite: 'ingest', name: 'append', value: 45_123, unit: 'events/s', target: { min: 40_000, rule: 'at least 40,000' } },
  { suite: 'ingest', name: 'scan', value: 99_999, unit: 'events/s', target: { min: 100_000, rule: 'at least 100,000' } },
  { suite: 'ingest', name: 'copy-limit', value: null, unit: 'events/s', note: 'skipped: no COPY here' },
  { suite: 'ingest', name: 'prisma-createMany', value: 2_000, unit: 'events/s' },
];

describe('formatTable', () => {
  it('shows each figure with its target and pass, FAIL or skipped, and the notes below', () => {
    const lines = formatTable(FIGURES).split('\n');
    expect(lines[0]).toMatch(/^suite\s+name\s+value\s+unit\s+target$/);
    expect(lines[2]).toMatch(/^ingest\s+append\s+45,123\s+events\/s\s+>= 40,000 \(at least 40,000\)\s+pass$/);
    expect(lines[3]).toMatch(/^ingest\s+scan\s+99,999\s+events\/s\s+>= 100,000 \(at least 100,000\)\s+FAIL$/);
    expect(lines[4]).toMatch(/^ingest\s+copy-limit\s+-\s+events\/s\s+skipped$/);
    expect(lines[5]).toMatch(/^ingest\s+prisma-createMany\s+2,000\s+events\/s$/);
    expect(lines.slice(-2)).toEqual(['notes:', '  ingest/copy-limit: skipped: no COPY here']);
  });
});

describe('writeFiguresJson', () => {
  it('writes one object per figure: suite, name, value, unit, and target or note where set', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'figures.json');
    writeFiguresJson(file, FIGURES);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written).toHaveLength(4);
    expect(written[0]).toEqual({ suite: 'ingest', name: 'append', value: 45_123, unit: 'events/s', target: { min: 40_000, rule: 'at least 40,000' } });
    expect(written[2]).toEqual({ suite: 'ingest', name: 'copy-limit', value: null, unit: 'events/s', note: 'skipped: no COPY here' });
    expect(Object.keys(written[3])).toEqual(['suite', 'name', 'value', 'unit']);
  });
});
