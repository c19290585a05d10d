import { BILLING_OBJECTS } from '@/lib/custom-events/object-model';
import type { Figure, Suite } from '@/lib/bench/types';
import { seededRandom } from '@/lib/bench/seeded-random';
import { analyze } from '@/lib/expressions/analyze';
import { compile } from '@/lib/expressions/compile';
import { createReferenceJexl } from '@/lib/expressions/reference';
import type { ObjectChangeSchema } from '@/lib/expressions/schema';

export interface ExpressionSizes {
  /** Change records each condition is evaluated on, by every evaluator. */
  contexts: number;
  /** Evaluations before timing, per evaluator. */
  warmup: number;
  /**
   * Passes over all contexts for compiled and hand-written, of which the median is reported: one pass takes
   * 20-100 ms, short enough for a scheduler hiccup to halve it. jexl's single pass takes seconds.
   */
  passes: number;
  /** jexl gets one pass over all contexts unless that would take longer than this; then it times `jexlFallback`. */
  jexlBudgetMs: number;
  jexlFallback: number;
  /** analyze-2kB: the median of this many runs. */
  analyzeRuns: number;
}

export const EXPRESSION_SIZES: ExpressionSizes = { contexts: 1_000_000, warmup: 100_000, passes: 3, jexlBudgetMs: 60_000, jexlFallback: 200_000, analyzeRuns: 50 };

const UNIT = 'evaluations/s';
const SUITE = 'expressions';

type Context = Record<string, unknown>;
type Evaluator = (context: Context) => unknown;

/** A trigger condition, the base object of its schema, and the same condition written by hand in JavaScript. */
export interface BenchCondition {
  label: string;
  /** Appended to the figure names: '' for the first condition. */
  suffix: string;
  baseObject: string;
  source: string;
  handWritten: Evaluator;
}

interface Invoice {
  Status: string | null;
  Status_old: string | null;
  Amount: number | null;
}
interface Account {
  CrmId: string | null;
  TradingPartnerCode__c: string | null;
}

export const BENCH_CONDITIONS: readonly BenchCondition[] = [
  {
    label: 'condition 1',
    suffix: '',
    baseObject: 'Invoice',
    source: "changeType == 'UPDATE' && Invoice.Status == 'Posted' && Invoice.Status_old != 'Posted' && Invoice.Amount > 1000",
    handWritten: (c) => {
      const invoice = c.Invoice as Invoice | null;
      return c.changeType === 'UPDATE' && invoice !== null && invoice.Status === 'Posted' && invoice.Status_old !== 'Posted' && (invoice.Amount as number) > 1000;
    },
  },
  {
    label: 'condition 2',
    suffix: ' (condition 2)',
    baseObject: 'Account',
    source: "(changeType == 'UPDATE' || changeType == 'INSERT') && size(Account.CrmId) != 18 && size(Account.TradingPartnerCode__c) > 0",
    handWritten: (c) => {
      const type = c.changeType;
      if (type !== 'UPDATE' && type !== 'INSERT') return false;
      const account = c.Account as Account | null;
      if (account === null) return false;
      const crmId = account.CrmId;
      const code = account.TradingPartnerCode__c;
      return (typeof crmId === 'string' ? crmId.length : 0) !== 18 && typeof code === 'string' && code.length > 0;
    },
  },
];

const CHANGE_TYPES = ['UPDATE', 'UPDATE', 'UPDATE', 'INSERT', 'DELETE'];
const STATUSES = ['Posted', 'Draft', 'Canceled', 'Error'];
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * `count` different change records of an invoice and its account, as a trigger receives them: statuses and
 * previous statuses, amounts around the 1,000 threshold, CRM ids of 15, 18 or other lengths, trading-partner
 * codes, and now and then a null (a missing account, status, amount or id).
 */
export function benchContexts(count: number, seed = 42): Context[] {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const text = (length: number) => {
    let s = '';
    for (let i = 0; i < length; i++) s += ALPHANUMERIC[Math.floor(next() * ALPHANUMERIC.length)];
    return s;
  };
  // Texts are drawn from pools (real records repeat ids across changes) so a million records fit in memory.
  const crmIds = Array.from({ length: 2000 }, (_, i) => text([15, 18, 18, 18, 0, 12, 20][i % 7]!));
  const codes = Array.from({ length: 500 }, (_, i) => (i % 5 === 0 ? '' : `TP-${text(4)}`));
  const contexts: Context[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const r = next();
    contexts[i] = {
      changeType: pick(CHANGE_TYPES),
      Invoice:
        r < 0.01
          ? null
          : {
              Id: `INV-${i}`,
              Status: r < 0.03 ? null : pick(STATUSES),
              Status_old: r < 0.2 ? null : pick(STATUSES),
              Amount: r < 0.05 ? null : Math.floor(next() * 2500),
              Currency: r < 0.5 ? 'EUR' : 'USD',
            },
      Account:
        r > 0.99
          ? null
          : {
              Id: `ACC-${i % 10_000}`,
              Name: `Customer ${i % 10_000}`,
              CrmId: r > 0.95 ? null : pick(crmIds),
              TradingPartnerCode__c: r > 0.9 ? null : pick(codes),
            },
    };
  }
  return contexts;
}

/** The schema of a trigger on changes of `baseObject`, over the built-in billing objects. */
export const objectChangeSchema = (baseObject: string): ObjectChangeSchema => ({ kind: 'objectChange', baseObject, objects: BILLING_OBJECTS });

/** Results as small codes, so three evaluators' answers over a million records can be compared. */
const code = (value: unknown) => (value === true ? 1 : value === false ? 0 : value === null ? 2 : value === undefined ? 3 : 4);

// One loop per evaluator kind: a shared loop's call site would see every evaluator, go megamorphic and slow
// them all down (the hand-written one most).
function passCompiled(f: Evaluator, contexts: Context[], out: Uint8Array, n: number) {
  for (let i = 0; i < n; i++) out[i] = code(f(contexts[i]!));
}
function passJexl(f: Evaluator, contexts: Context[], out: Uint8Array, n: number) {
  for (let i = 0; i < n; i++) out[i] = code(f(contexts[i]!));
}
function passHandWritten(f: Evaluator, contexts: Context[], out: Uint8Array, n: number) {
  for (let i = 0; i < n; i++) out[i] = code(f(contexts[i]!));
}
type Pass = typeof passCompiled;

interface Timing {
  perSecond: number;
  seconds: number;
  evaluated: number;
  results: Uint8Array;
}

/** Warms up, then times `passes` passes over the first n contexts; the median pass counts. */
function timePass(pass: Pass, f: Evaluator, contexts: Context[], n: number, warmup: number, passes: number): Timing {
  const results = new Uint8Array(n);
  pass(f, contexts, results, Math.min(warmup, n));
  const times: number[] = [];
  for (let p = 0; p < passes; p++) {
    const started = performance.now();
    pass(f, contexts, results, n);
    times.push((performance.now() - started) / 1000);
  }
  const seconds = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return { perSecond: Math.round(n / seconds), seconds, evaluated: n, results };
}

/** Mismatches between two result arrays over their common length, with the first one's index. */
function mismatches(a: Uint8Array, b: Uint8Array): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      count += 1;
      if (first < 0) first = i;
    }
  }
  return { count, first };
}

const NAMES = ['compiled', 'jexl-evalSync', 'hand-written'] as const;

/** The three evaluators of one condition over the same contexts, checked against each other. */
function measureCondition(condition: BenchCondition, contexts: Context[], sizes: ExpressionSizes, log: (line: string) => void): Figure[] {
  const n = contexts.length;
  const compiled = compile(condition.source, objectChangeSchema(condition.baseObject));
  const expression = createReferenceJexl().compile(condition.source);
  const jexl: Evaluator = (c) => expression.evalSync(c);

  // jexl: estimate a full pass from a short one; past the budget, time the first jexlFallback contexts.
  const probe = Math.min(n, 20_000);
  const probeStarted = performance.now();
  passJexl(jexl, contexts, new Uint8Array(probe), probe);
  const estimateMs = ((performance.now() - probeStarted) / probe) * n;
  const jexlCount = estimateMs > sizes.jexlBudgetMs ? Math.min(n, sizes.jexlFallback) : n;

  const timings = {
    compiled: timePass(passCompiled, compiled as Evaluator, contexts, n, sizes.warmup, sizes.passes),
    'jexl-evalSync': timePass(passJexl, jexl, contexts, jexlCount, sizes.warmup, 1),
    'hand-written': timePass(passHandWritten, condition.handWritten, contexts, n, sizes.warmup, sizes.passes),
  };
  for (const name of NAMES) {
    const t = timings[name];
    log(`${SUITE}: ${name}${condition.suffix}: ${t.evaluated.toLocaleString('en')} evaluations in ${t.seconds.toFixed(3)} s = ${t.perSecond.toLocaleString('en')} ${UNIT}`);
  }

  const matched = timings.compiled.results.reduce((sum, r) => sum + (r === 1 ? 1 : 0), 0);
  log(`${SUITE}: ${condition.label} is true for ${matched.toLocaleString('en')} of ${n.toLocaleString('en')} contexts`);
  for (const other of ['jexl-evalSync', 'hand-written'] as const) {
    const { count, first } = mismatches(timings.compiled.results, timings[other].results);
    if (count > 0) {
      const c = contexts[first];
      throw new Error(
        `${SUITE}: compiled and ${other} disagree on ${count.toLocaleString('en')} of ${timings[other].evaluated.toLocaleString('en')} contexts for ${condition.source}; first at #${first}: ${JSON.stringify(c)} gives ${compiled(c)} and ${other === 'hand-written' ? condition.handWritten(c!) : jexl(c!)}`,
      );
    }
  }
  if (timings.compiled.results.some((r) => r > 1)) throw new Error(`${SUITE}: ${condition.source} gave a value that is not true or false`);

  const jexlRate = timings['jexl-evalSync'].perSecond;
  const partial = jexlCount < n ? `timed on the first ${jexlCount.toLocaleString('en')} contexts: a full pass would take about ${Math.round(estimateMs / 1000)} s` : undefined;
  return [
    {
      suite: SUITE,
      name: `compiled${condition.suffix}`,
      value: timings.compiled.perSecond,
      unit: UNIT,
      target: { min: Math.max(5_000_000, 25 * jexlRate), rule: '25x jexl-evalSync, at least 5,000,000' },
    },
    { suite: SUITE, name: `jexl-evalSync${condition.suffix}`, value: jexlRate, unit: UNIT, ...(partial && { note: partial }) },
    { suite: SUITE, name: `hand-written${condition.suffix}`, value: timings['hand-written'].perSecond, unit: UNIT },
  ];
}

const INVOICE_CLAUSES = [
  "Invoice.Status == 'Posted'",
  "Invoice.Status_old != 'Posted'",
  'Invoice.Amount > 1000',
  'Invoice.Balance >= 0.01',
  "Invoice.Currency in ['EUR', 'USD', 'GBP']",
  'daysBetween(Invoice.InvoiceDate, Invoice.DueDate) > 30',
  "Invoice.Source != 'API'",
  '!Invoice.IncludesUsage',
  "startsWith(Invoice.InvoiceNumber, 'INV')",
  "lower(Invoice.Comments) != 'test'",
  'Invoice.TaxAmount / Invoice.Amount < 0.3',
  "Invoice.TransferredToAccounting == 'No'",
];
const ACCOUNT_CLAUSES = [
  'size(Account.CrmId) != 18',
  'size(Account.TradingPartnerCode__c) > 0',
  "Account.Status == 'Active'",
  'Account.AutoPay == true',
  "matches(Account.AccountNumber, '^A[0-9]{8}$')",
  "Account.Batch != 'Batch50'",
  'Account.BillCycleDay <= 28',
  '!isEmpty(Account.Name)',
];

/**
 * A realistic trigger condition of about `length` characters over Invoice and its Account: groups of
 * comparisons, functions, `in`, `!` and `_old` reads joined by && and ||, guarded by changeType.
 */
export function longCondition(length = 2048): string {
  const groups: string[] = [];
  let k = 0;
  let source = "changeType == 'UPDATE'";
  while (source.length < length) {
    const invoice = INVOICE_CLAUSES[k % INVOICE_CLAUSES.length]!;
    const account = ACCOUNT_CLAUSES[k % ACCOUNT_CLAUSES.length]!;
    const other = INVOICE_CLAUSES[(k * 7 + 3) % INVOICE_CLAUSES.length]!;
    groups.push(`(${invoice} && ${account} || ${other})`);
    source = `changeType == 'UPDATE' && ${groups.join(' && ')}`;
    k += 1;
  }
  return source;
}

function measureAnalyze(runs: number, log: (line: string) => void): Figure {
  const source = longCondition();
  const schema = objectChangeSchema('Invoice');
  for (let i = 0; i < 10; i++) analyze(source, schema, { requireBoolean: true });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    analyze(source, schema, { requireBoolean: true });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const value = Math.round(median * 1000) / 1000;
  log(`${SUITE}: analyze of a ${source.length.toLocaleString('en')}-character condition: median ${value} ms of ${runs} runs`);
  // Target holds only lower bounds; this one is an upper bound, so it goes in the note.
  return { suite: SUITE, name: 'analyze-2kB', value, unit: 'ms', note: `median of ${runs} runs on ${source.length.toLocaleString('en')} characters; target under 5 ms: ${value < 5 ? 'met' : 'NOT MET'}` };
}

/**
 * Suite `expressions`: compiled trigger conditions against jexl's own evaluator and against the same condition
 * written by hand (the physical limit), on a million varied change records per condition, the three checked to
 * agree on every record; and the analyzer on a 2 kB condition. Needs no database.
 */
export function expressionsSuite(options: Partial<ExpressionSizes> = {}): Suite {
  const sizes: ExpressionSizes = { ...EXPRESSION_SIZES, ...options };
  return {
    name: SUITE,
    description: `${BENCH_CONDITIONS.length} trigger conditions over ${sizes.contexts.toLocaleString('en')} change records: compiled, jexl evalSync and hand-written; analyze of a 2 kB condition`,
    async run({ log }) {
      log(`${SUITE}: generating ${sizes.contexts.toLocaleString('en')} change records`);
      const contexts = benchContexts(sizes.contexts);
      const figures = BENCH_CONDITIONS.flatMap((condition) => measureCondition(condition, contexts, sizes, log));
      figures.push(measureAnalyze(sizes.analyzeRuns, log));
      return figures;
    },
  };
}
