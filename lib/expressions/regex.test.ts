import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileRegex, estimateSize, isProblem, regexFind, REGEX_LIMITS } from '@/lib/expressions/regex';

const EVERYDAY = [
  '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$',
  '^INV-\\d{6}$',
  '(?i)^(gold|silver|bronze|platinum|enterprise|professional|starter|basic|premium|ultimate)$',
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$',
  '^\\+?[0-9]{7,15}$',
  '^\\p{Lu}\\p{Ll}+( \\p{Lu}\\p{Ll}+)*$',
  '[]a]{10}',
  '\\Q{1000}\\E',
  '\\x{41}{5}',
  '(?P<n>ab){20}',
  '[[:alpha:]]{30}',
];
const HOSTILE = ['(.{1,1000})(.{1,1000})(.{1,1000})(.{1,1000})(.{1,1000})\\d', '(a{1,30}){1,30}$', '((a{0,10}){0,10}){0,10}b', '[a-z]{1,1000}', '(?:(?:.{1,10}){1,10}){1,10}'.repeat(7)];

describe('matches() limits', () => {
  it('estimates the compiled size of a pattern from its text, close to RE2’s own count', () => {
    for (const pattern of [...EVERYDAY, ...HOSTILE]) {
      const real = RE2JS.compile(pattern).programSize();
      expect(Math.abs(estimateSize(pattern).size - real), pattern).toBeLessThanOrEqual(Math.max(3, real * 0.1));
    }
  });

  it('accepts everyday patterns, and refuses large ones with the counted repetition to blame', () => {
    for (const pattern of EVERYDAY) expect(isProblem(compileRegex(pattern)), pattern).toBe(false);
    for (const pattern of HOSTILE) {
      const problem = compileRegex(pattern);
      expect(isProblem(problem) && problem.message, pattern).toMatch(/^The pattern is (too large to match quickly|\d[\d,]* characters long)/);
    }
    const problem = compileRegex('x(a{1,30}){1,30}$');
    expect(problem).toMatchObject({ start: 10, end: 16, message: expect.stringContaining('{1,30} at character 11 of the pattern repeats its part 30 times') });
  });

  it('refuses a hostile pattern without compiling it: at once, even a new one every time', () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) expect(isProblem(compileRegex(`${'(.{1,1000})'.repeat(18)}${i}`))).toBe(true);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('matches the largest pattern within the limits on the longest text quickly', () => {
    // `.{1,98}` keeps every step of the program live at every character: the worst case of the limits.
    const pattern = '(.{1,98})\\d';
    expect((compileRegex(pattern) as RE2JS).programSize()).toBe(REGEX_LIMITS.programSize);
    const text = 'ab'.repeat(REGEX_LIMITS.textLength / 2);
    const times = Array.from({ length: 5 }, () => {
      const started = performance.now();
      expect(regexFind(text, pattern)).toBe(false);
      return performance.now() - started;
    });
    // ~40 ms on an idle machine, 270 ms seen on a loaded 2-core one; unbounded, such patterns took 9.6 s.
    // The bound only has to tell those apart (speed itself is measured in `npm run bench`).
    expect(times.sort((a, b) => a - b)[2]).toBeLessThan(1_500);
  });

  it('never matches a text past the limit, nor a refused pattern; both give false, never an error', () => {
    const limit = REGEX_LIMITS.textLength;
    expect(regexFind(`${'a'.repeat(limit - 1)}b`, 'b$')).toBe(true);
    expect(regexFind(`${'a'.repeat(limit)}b`, 'b$')).toBe(false);
    expect(regexFind('aaa', '(a{1,30}){1,30}$')).toBe(false);
    expect(regexFind('aaa', '(a')).toBe(false);
  });
});
