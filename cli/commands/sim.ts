import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { handler } from '../run-command.js';
import { makeScenario, type Scenario } from '../../sim/scenario/types.js';
import { runScenario } from '../../sim/scenario/run.js';
import { formatSummary } from '../../sim/scenario/summary.js';
import { readScenarioFile, writeResult } from '../../sim/scenario/io.js';
import { TraceWriter, fileSink } from '../../sim/trace.js';
import { parsePluginOptions } from '../../plugins/registry.js';

interface SimArgs {
  scenario?: string;
  peers?: number;
  seeds?: number;
  seed?: number;
  picker?: string;
  choker?: string;
  'picker-opt'?: string[];
  'choker-opt'?: string[];
  'file-mib'?: number;
  'piece-kib'?: number;
  arrivals?: string;
  leave?: string;
  'free-riders'?: number;
  'bad-peers'?: number;
  'max-seconds'?: number;
  out: string;
  trace: boolean;
  json: boolean;
  quiet: boolean;
  debug?: boolean;
}

/** CLI flags override the scenario file, which overrides the defaults. */
function scenarioFrom(a: SimArgs): Scenario {
  const s: Partial<Scenario> = a.scenario ? readScenarioFile(a.scenario) : {};
  if (a.peers !== undefined) s.peers = a.peers;
  if (a.seeds !== undefined) s.seeds = a.seeds;
  if (a.seed !== undefined) s.seed = a.seed;
  if (a.picker !== undefined) s.picker = a.picker;
  if (a.choker !== undefined) s.choker = a.choker;
  if (a['picker-opt']) s.pickerOptions = parsePluginOptions(a['picker-opt']);
  if (a['choker-opt']) s.chokerOptions = parsePluginOptions(a['choker-opt']);
  if (a['file-mib'] !== undefined) s.fileBytes = Math.round(a['file-mib'] * 2 ** 20);
  if (a['piece-kib'] !== undefined) s.pieceLength = Math.round(a['piece-kib'] * 1024);
  if (a.arrivals !== undefined) {
    const m = /^poisson:(\d+(?:\.\d+)?)$/.exec(a.arrivals);
    s.arrivals = a.arrivals === 'flash' ? { kind: 'flash' } : m ? { kind: 'poisson', ratePerSec: Number(m[1]) } : (() => { throw new Error(`--arrivals must be flash or poisson:RATE, got ${a.arrivals}`); })();
  }
  if (a.leave !== undefined) {
    const m = /^seed:(\d+(?:\.\d+)?)$/.exec(a.leave);
    s.departure = a.leave === 'leave' ? { kind: 'leave' } : a.leave === 'stay' ? { kind: 'stay' } : m ? { kind: 'seed', seconds: Number(m[1]) } : (() => { throw new Error(`--leave must be leave, stay or seed:SECONDS, got ${a.leave}`); })();
  }
  if (a['free-riders'] !== undefined) s.freeRiders = a['free-riders'];
  if (a['bad-peers'] !== undefined) s.badPeers = a['bad-peers'];
  if (a['max-seconds'] !== undefined) s.maxSeconds = a['max-seconds'];
  return makeScenario(s);
}

export const simCommand: CommandModule<object, SimArgs> = {
  command: 'sim',
  describe: 'Run a deterministic simulated swarm with the real client core (same seed → same result)',
  builder: (y) => y
    .option('scenario', { type: 'string', describe: 'Scenario file (JSON); flags override it' })
    .option('peers', { type: 'number', describe: 'Leechers [200]' })
    .option('seeds', { type: 'number', describe: 'Initial seeds [1]' })
    .option('seed', { type: 'number', describe: 'Random seed [1]' })
    .option('picker', { type: 'string', describe: 'Piece picker plugin [rarest]' })
    .option('choker', { type: 'string', describe: 'Choker plugin [reference]' })
    .option('picker-opt', { type: 'string', array: true, describe: 'Picker option key=value' })
    .option('choker-opt', { type: 'string', array: true, describe: 'Choker option key=value' })
    .option('file-mib', { type: 'number', describe: 'File size in MiB [32]' })
    .option('piece-kib', { type: 'number', describe: 'Piece length in KiB [256]' })
    .option('arrivals', { type: 'string', describe: 'flash | poisson:PEERS_PER_SEC [flash]' })
    .option('leave', { type: 'string', describe: 'leave | stay | seed:SECONDS after completing [leave]' })
    .option('free-riders', { type: 'number', describe: 'Share of leechers that never upload [0]' })
    .option('bad-peers', { type: 'number', describe: 'Share of leechers that upload corrupt data [0]' })
    .option('max-seconds', { type: 'number', describe: 'Simulated time limit [3600]' })
    .option('out', { alias: 'o', type: 'string', default: 'out/sim', describe: 'Output folder (result.json, trace.jsonl)' })
    .option('trace', { type: 'boolean', default: true, describe: 'Write the event trace (--no-trace is faster)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result summary as JSON' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress line' }) as never,
  handler: handler(async (a: SimArgs) => {
    const scenario = scenarioFrom(a);
    const out = resolve(a.out);
    mkdirSync(out, { recursive: true });
    const trace = a.trace ? new TraceWriter({ sink: fileSink(join(out, 'trace.jsonl')) }) : undefined;
    const t0 = performance.now();
    let lastPrint = t0;
    const tty = process.stderr.isTTY;
    const result = runScenario(scenario, {
      trace,
      onProgress: (done, total, simSec) => {
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
