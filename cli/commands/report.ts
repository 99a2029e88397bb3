import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { handler, lastWins } from '../run-command.js';

interface ReportArgs { path: string; out?: string; debug?: boolean }

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <path>',
  describe: 'Render an HTML report with charts from saved results: bt-lab sim/compare output, a download --json log, or a conformance run',
  builder: (y) => y
    .positional('path', { type: 'string', demandOption: true, describe: 'A results folder or file' })
    .option('out', { alias: 'o', type: 'string', coerce: lastWins, describe: 'Output folder [the input folder]' })
    .example('$0 report out/sim', 'report for `bt-lab sim -o out/sim`')
    .example('$0 download x.torrent --json > dl/log.jsonl && $0 report dl', 'report for a real download') as never,
  handler: handler(async (a: ReportArgs) => {
    const { renderReport } = await import('../../reports/render-report.js'); // canvas + chart.js, only when needed
    const { input, report } = renderReport(resolve(a.path), a.out ? resolve(a.out) : undefined);
    process.stdout.write(`${input.kind} results: ${input.file}\nreport: ${report.html} (${report.files.filter((f) => f.endsWith('.png')).length} charts)\n`);
  }),
};
