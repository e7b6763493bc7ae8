// Preloaded into the server under load (`node --import ./bench/event-loop-probe.mjs …`): records
// the event loop's delay and writes a snapshot to BENCH_EVENT_LOOP_FILE twice a second, so the
// benchmark can tell a blocked event loop from a slow database. SIGUSR2 starts a new window
// (the warm-up is left out); SIGUSR1 is Node's inspector signal, so it is not used.
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_EVENT_LOOP_FILE;
if (file) {
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // The histogram holds the interval between timer ticks; the delay is what exceeds the timer.
  const ms = (nanoseconds) => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
  const write = () =>
    writeFileSync(
      file,
      JSON.stringify({
        at: Date.now(),
        meanMs: ms(histogram.mean),
        p50Ms: ms(histogram.percentile(50)),
        p99Ms: ms(histogram.percentile(99)),
        maxMs: ms(histogram.max),
      }),
    );
  process.on("SIGUSR2", () => histogram.reset());
  setInterval(write, 500).unref();
}
