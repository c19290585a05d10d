import { readFileSync } from 'node:fs';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time; wall time `dur` also counts waiting for a core on a loaded machine. */
  tdur?: number;
  args?: { name?: string };
}

/**
 * Where a Chrome trace's time went, per thread: the busiest threads (by their top-level events' total
 * duration) and, on each, the event names that took most of it. Used by the canvas figures spec to tell
 * main-thread work (React, style, layout, paint recording) from raster and compositing.
 */
export function summarizeTrace(path: string, top = 8) {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const complete = events.filter((e) => e.ph === 'X' && typeof e.dur === 'number');
  let first = Infinity;
  let last = -Infinity;
  for (const e of complete) {
    first = Math.min(first, e.ts);
    last = Math.max(last, e.ts + e.dur!);
  }
  const span = complete.length ? (last - first) / 1000 : 0;
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of complete) {
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key);
    if (list) list.push(e);
    else byThread.set(key, [e]);
  }
  const threads = [...byThread.entries()].map(([key, list]) => {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    // Top-level only: an event that starts inside the previous top-level one is nested in it.
    let end = -1;
    const totals = new Map<string, number>();
    const nested = new Map<string, number>();
    let busy = 0;
    let cpu = 0;
    for (const e of list) {
      nested.set(e.name, (nested.get(e.name) ?? 0) + e.dur!);
      if (e.ts >= end) {
        busy += e.dur!;
        cpu += e.tdur ?? e.dur!;
        totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur!);
        end = e.ts + e.dur!;
      }
    }
    const ms = (us: number) => Math.round(us / 100) / 10;
    const rank = (m: Map<string, number>) => Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([n, d]) => [n, ms(d)]));
    return { thread: names.get(key) ?? key, busyMs: ms(busy), cpuMs: ms(cpu), topLevel: rank(totals), inclusive: rank(nested) };
  });
  threads.sort((a, b) => b.busyMs - a.busyMs);
  // Frames the display compositor drew (each a new picture on screen), and the renderer's main thread per frame.
  const framesDrawn = complete.filter((e) => e.name === 'Display::DrawAndSwap').length;
  const main = threads.find((t) => t.thread === 'CrRendererMain');
  const raster = threads.filter((t) => t.thread === 'ThreadPoolForegroundWorker').reduce((sum, t) => sum + (t.inclusive['RasterTask'] ?? 0), 0);
  const rasterCpu = threads.filter((t) => t.thread === 'ThreadPoolForegroundWorker').reduce((sum, t) => sum + t.cpuMs, 0);
  // The renderer's main-thread time per frame (input, scripts, style, layout, paint, layerize): its median and p95.
  const mainFrames = complete.filter((e) => e.name === 'ProxyMain::BeginMainFrame').map((e) => e.dur! / 1000).sort((a, b) => a - b);
  const at = (q: number) => (mainFrames.length ? Math.round(mainFrames[Math.floor(mainFrames.length * q)]! * 10) / 10 : null);
  return {
    spanMs: Math.round(span),
    mainFrames: mainFrames.length,
    medianMainFrameMs: at(0.5),
    p95MainFrameMs: at(0.95),
    framesDrawn,
    msPerDrawnFrame: framesDrawn ? Math.round((span / framesDrawn) * 10) / 10 : null,
    mainThreadMsPerFrame: framesDrawn && main ? Math.round((main.busyMs / framesDrawn) * 10) / 10 : null,
    mainThreadCpuMsPerFrame: framesDrawn && main ? Math.round((main.cpuMs / framesDrawn) * 10) / 10 : null,
    rasterMsPerFrame: framesDrawn ? Math.round((raster / framesDrawn) * 10) / 10 : null,
    rasterWorkersCpuMsPerFrame: framesDrawn ? Math.round((rasterCpu / framesDrawn) * 10) / 10 : null,
    threads: threads.slice(0, 5),
  };
}
