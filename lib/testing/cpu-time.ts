/**
 * CPU milliseconds this process used since `started` (a `process.cpuUsage()`). Tests that bound how long
 * synchronous work takes use it rather than wall time: CPU time does not grow while the test waits for a
 * core (Vitest runs four files at once on a 2-core machine), so the bound catches work that blows up with
 * its input and nothing else.
 */
export function cpuMsSince(started: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}
