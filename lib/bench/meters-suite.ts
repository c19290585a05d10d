import type { Figure, Suite } from '@/lib/bench/types';
import { apiCallEvents, fiveStepMeter, largeMeter, meterContext } from '@/lib/meters/fixtures';
import { clearAnalysisCache } from '@/lib/meters/kinds/analyze-flow';
import { previewMeter } from '@/lib/meters/preview';
import { forgetRememberedNodes } from '@/lib/meters/remembered-nodes';
import { validateMeter } from '@/lib/meters/validate';

export interface MeterSizes {
  /** validateMeter runs on the 200-node meter, of which the median is reported. */
  validateRuns: number;
  /** Preview runs of 1,000 events through five processors. */
  previewRuns: number;
}

export const METER_SIZES: MeterSizes = { validateRuns: 200, previewRuns: 30 };
const SUITE = 'meters';

interface Timing {
  /** Median wall-clock time, ms. */
  wall: number;
  /** Median CPU time of the process, ms: steadier than wall time when other work shares the cores. */
  cpu: number;
}

const ms3 = (value: number) => Math.round(value * 1000) / 1000;
const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function median(runs: number, f: () => void, before?: () => void): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    f();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: ms3(middle(wall)), cpu: ms3(middle(cpu)) };
}

const verdict = (value: number, limit: number) => `target under ${limit} ms: ${value < limit ? 'met' : 'NOT MET'}`;

/**
 * Suite `meters`: validateMeter on a 200-node meter (a chain of Filters and Maps with branches, real
 * expressions; analyses remembered across runs as on the canvas, and the first, cold run too), and a
 * preview of 1,000 events through Filter, Map, Deduplicate, Aggregate and an Event Store target. Needs no database.
 */
export function metersSuite(options: Partial<MeterSizes> = {}): Suite {
  const sizes: MeterSizes = { ...METER_SIZES, ...options };
  return {
    name: SUITE,
    description: `validateMeter on a 200-node meter (median of ${sizes.validateRuns}); a preview of 1,000 events through five processors (median of ${sizes.previewRuns})`,
    async run({ log }) {
      const context = meterContext();
      const graph = largeMeter(200);
      const problems = validateMeter(graph, context);
      if (problems.length) throw new Error(`${SUITE}: the 200-node meter has problems: ${problems[0]!.message}`);
      median(20, () => validateMeter(graph, context));
      const validate = median(sizes.validateRuns, () => validateMeter(graph, context));
      // Every node checked and every expression analyzed again, as when a meter is first opened.
      const cold = median(Math.max(3, Math.floor(sizes.validateRuns / 20)), () => validateMeter(graph, context), () => {
        clearAnalysisCache();
        forgetRememberedNodes();
      });
      log(`${SUITE}: validateMeter, ${graph.nodes.length} nodes and ${graph.edges.length} edges: median ${validate.wall} ms (CPU ${validate.cpu} ms); with nothing remembered ${cold.wall} ms`);

      const meter = fiveStepMeter();
      const samples = { source: apiCallEvents(1000) };
      const first = previewMeter(meter, context, samples);
      if (first.problems.length || first.nodes.target?.out === undefined) throw new Error(`${SUITE}: the preview meter did not run through: ${JSON.stringify(first.problems)}`);
      const preview = median(sizes.previewRuns, () => previewMeter(meter, context, samples));
      log(`${SUITE}: preview of 1,000 events through 5 processors: median ${preview.wall} ms (CPU ${preview.cpu} ms)`);

      const figures: Figure[] = [
        {
          suite: SUITE,
          name: 'validate-200-nodes',
          value: validate.wall,
          unit: 'ms',
          note: `median of ${sizes.validateRuns} runs with nodes and analyses remembered (as on the canvas; CPU time ${validate.cpu} ms); with nothing remembered ${cold.wall} ms; ${verdict(validate.wall, 2)}`,
        },
        { suite: SUITE, name: 'preview-1000-events-5-processors', value: preview.wall, unit: 'ms', note: `median of ${sizes.previewRuns} runs (CPU time ${preview.cpu} ms); ${verdict(preview.wall, 300)}` },
      ];
      return figures;
    },
  };
}
