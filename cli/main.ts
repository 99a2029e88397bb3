#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { reexecForSimulator } from './sim-v8-flags.js';

const argv = hideBin(process.argv);
// Simulator commands run in a child with a larger young generation (see sim-v8-flags.ts);
// the command modules are loaded only in the process that runs the command.
if (!reexecForSimulator(argv)) await main(argv);

async function main(argv: string[]): Promise<void> {
  const { default: yargs } = await import('yargs');
  const { commands } = await import('./commands/index.js');
  const { failAndExit } = await import('./run-command.js');
  const cli = yargs(argv)
    .scriptName('bt-lab')
    .usage('$0 <command> [options]\n\nA laboratory for BitTorrent: a real client, a deterministic simulator, conformance suites and strategy reports.')
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces on errors' })
    .demandCommand(1, 'Name a command (bt-lab --help lists them).')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) failAndExit(err, argv.includes('--debug'));
      process.stderr.write(`bt-lab: ${msg}\n(see bt-lab --help)\n`);
      process.exit(2);
    });
  for (const c of commands) cli.command(c);
  await cli.parseAsync();
}
