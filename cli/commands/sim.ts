import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { handler, lastWins } from '../run-command.js';
import { makeScenario, type Scenario } from '../../sim/scenario/types.js';
import { runScenario } from '../../sim/scenario/run.js';
import { loadScenarioPlugins } from '../../sim/scenario/plugins.js';
import { formatSummary } from '../../sim/scenario/summary.js';
import { writeResult } from '../../sim/scenario/io.js';
import { scenarioFlagOptions, scenarioFromFlags, type ScenarioFlags } from '../../sim/scenario/flags.js';
import { TraceWriter, fileSink } from '../../sim/trace.js';
import { exitIfParentGone } from '../sim-v8-flags.js';

interface SimArgs extends ScenarioFlags {
  seed?: number;
  picker?: string;
  choker?: string;
  out: string;
  trace: boolean;
  json: boolean;
  quiet: boolean;
  debug?: boolean;
}

/** CLI flags override the scenario file, which overrides the defaults. */
function scenarioFrom(a: SimArgs): Scenario {
  const s = scenarioFromFlags(a);
  if (a.seed !== undefined) s.seed = a.seed;
  if (a.picker !== undefined) s.picker = a.picker;
  if (a.choker !== undefined) s.choker = a.choker;
  return makeScenario(s);
}

export const simCommand: CommandModule<object, SimArgs> = {
  command: 'sim',
  describe: 'Run a deterministic simulated swarm with the real client core (same seed → same result)',
  builder: (y) => y
    .option('seed', { type: 'number', describe: 'Random seed [1]' })
    .option('picker', { type: 'string', describe: 'Piece picker plugin [rarest]' })
    .option('choker', { type: 'string', describe: 'Choker plugin [reference]' })
    .options(scenarioFlagOptions)
    .option('out', { alias: 'o', type: 'string', default: 'out/sim', coerce: lastWins, describe: 'Output folder (result.json, trace.jsonl)' })
    .option('trace', { type: 'boolean', default: true, describe: 'Write the event trace (--no-trace is faster)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result summary as JSON' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress line' }) as never,
  handler: handler(async (a: SimArgs) => {
    const scenario = scenarioFrom(a);
    const plugins = await loadScenarioPlugins(scenario); // an unknown name or bad path fails here, before any output
    const out = resolve(a.out);
    mkdirSync(out, { recursive: true });
    const trace = a.trace ? new TraceWriter({ sink: fileSink(join(out, 'trace.jsonl')) }) : undefined;
    const t0 = performance.now();
    let lastPrint = t0;
    const tty = process.stderr.isTTY;
    const result = runScenario(scenario, {
      trace,
      plugins,
      onProgress: (done, total, simSec) => {
        exitIfParentGone();
        const now = performance.now();
        if (a.quiet || now - lastPrint < 1000) return;
        lastPrint = now;
        const line = `sim t=${simSec.toFixed(0)}s  completed ${done}/${total}  wall ${((now - t0) / 1000).toFixed(1)}s`;
        process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      },
    });
    trace?.close();
    const wall = (performance.now() - t0) / 1000;
    if (tty && !a.quiet && wall > 1) process.stderr.write('\r\x1b[K');
    const path = writeResult(out, result);
    if (a.json) process.stdout.write(JSON.stringify({ summary: result.summary, simSeconds: result.simSeconds, result: path }) + '\n');
    else process.stdout.write(`${formatSummary(scenario, result.summary, result.simSeconds, wall, result.events)}\nresult: ${path}${trace ? `\ntrace: ${join(out, 'trace.jsonl')}` : ''}\n`);
  }),
};
