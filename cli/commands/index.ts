import type { CommandModule } from 'yargs';
import { downloadCommand } from './download.js';
import { seedCommand } from './seed.js';
import { simCommand } from './sim.js';
import { dhtCommand } from './dht.js';
import { infoCommand } from './info.js';
import { createCommand } from './create.js';
import { trackerCommand } from './tracker.js';
import { conformanceCommand } from './conformance.js';
import { compareCommand } from './compare.js';
import { reportCommand } from './report.js';
import { pluginsCommand } from './plugins.js';

/**
 * The command table. Each command lives in its own file under cli/commands and exports a
 * yargs CommandModule; adding a command = one file + one line here.
 */
export const commands: CommandModule<any, any>[] = [simCommand, downloadCommand, seedCommand, infoCommand, createCommand, trackerCommand, dhtCommand, compareCommand, reportCommand, conformanceCommand, pluginsCommand];
