// `npm run bench`: starts everything on 127.0.0.1, measures, prints a table and
// writes bench/results/latest.json + latest.svg. Scenarios that cannot run here
// are reported as skipped with the reason; the run itself does not fail for them.
import { createFixtures } from "./fixtures.ts";
import { runFleet } from "./fleet/run-fleet.ts";
import { benchOptions, selected } from "./options.ts";
import { stopAll } from "./processes.ts";
import { writeResults } from "./report/write-results.ts";
import { runOverhead } from "./scenarios/overhead.ts";
import { ALL_TARGETS } from "./targets/all-targets.ts";

const options = benchOptions(process.env);
const log = (line: string) => process.stderr.write(`${line}\n`);
const fixtures = createFixtures(options.cpuProfDir);
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted = true;
    void stopAll().finally(() => {
      fixtures.dispose();
      process.exit(130);
    });
  });
}

const startedAt = new Date();
try {
  log(
    `Only1MCP bench (${options.quick ? "quick" : "full"}): ${options.repeats} runs of ${options.durationMs} ms per figure`,
  );
  log("Overhead on tools/call:");
  const overhead = await runOverhead(
    ALL_TARGETS.filter((t) => selected(options, t.id)),
    fixtures,
    options,
    log,
  );
  await stopAll();
  log("Fleet and control plane:");
  const fleet = await runFleet(fixtures, options, log);
  await stopAll();
  const written = writeResults({ startedAt, options, overhead, fleet });
  process.stdout.write(`${written.table}\n`);
  log(`Results: ${written.jsonPath}, ${written.svgPath}`);
} finally {
  if (!interrupted) {
    await stopAll();
    fixtures.dispose();
  }
}
