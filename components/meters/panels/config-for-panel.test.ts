import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { configForPanel } from '@/components/meters/panels/config-for-panel';

const schema = z.object({
  url: z.string().url(),
  batchSize: z.number().int().min(1).default(100),
  rename: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) })).default([]),
  secretHeader: z.string().optional(),
});
const defaults = { url: '', batchSize: 100, rename: [], secretHeader: undefined };

describe('configForPanel', () => {
  it('gives a config that parses as parsed', () => {
    expect(configForPanel(schema, defaults, { url: 'https://example.com' })).toEqual({ url: 'https://example.com', batchSize: 100, rename: [] });
  });

  it('keeps settings that do not parse yet but have the right shape, so what is being typed stays in its field', () => {
    const raw = { url: 'https://exa', batchSize: 0, rename: [{ from: '', to: '' }], secretHeader: 'X-Secret' };
    expect(configForPanel(schema, defaults, raw)).toEqual(raw);
  });

  it('replaces settings of the wrong shape with the default, and a config that is not an object with the defaults', () => {
    expect(configForPanel(schema, defaults, { url: 42, batchSize: 'many', rename: {}, secretHeader: ['x'] })).toEqual(defaults);
    expect(configForPanel(schema, defaults, 'nonsense')).toBe(defaults);
  });
});
