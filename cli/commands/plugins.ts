import type { Argv, CommandModule } from 'yargs';
import { handler } from '../run-command.js';
import type { PluginMeta } from '../../core/plugin-api/common.js';
import { BtLabError } from '../../core/util/errors.js';
import { builtinChokers, builtinPickers, builtinSources, loadPluginModule, parsePluginOptions } from '../../plugins/registry.js';
import { checkAll, type ContractResult } from '../../plugins/contract/index.js';

/**
 * `bt-lab plugins`: every available strategy with its one-line description and options.
 * `bt-lab plugins check <module>`: the contract tests (plugins/contract/) on a third-party
 * module — by path (`./dist/my-picker.js`) or package name — exit status 1 if any fails.
 */

interface ListArgs { json: boolean; debug?: boolean }
interface CheckArgs { module: string; opt?: string[]; runs: number; seed?: number; json: boolean; debug?: boolean }

export function formatPluginList(groups: Array<[string, string, PluginMeta[]]>): string {
  const lines: string[] = [];
  for (const [title, flag, list] of groups) {
    lines.push(`${title} (${flag})`);
    const width = Math.max(...list.map((p) => p.name.split(':')[1].length)) + 2;
    for (const p of list) {
      lines.push(`  ${p.name.split(':')[1].padEnd(width)}${p.description}`);
      for (const o of p.options ?? []) {
        const def = o.default === undefined || o.default === '' ? '' : `=${String(o.default)}`;
        lines.push(`  ${''.padEnd(width)}  · ${o.name}${def} (${o.type}) — ${o.describe}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function formatResults(results: readonly ContractResult[]): string {
  return results.map((r) => `${r.ok ? 'ok  ' : 'FAIL'} ${r.plugin}  ${r.check}${r.ok || !r.detail ? '' : `\n       ${r.detail.replace(/\n/g, '\n       ')}`}`).join('\n');
}

const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <module>',
  describe: 'Run the plugin contract tests on a module (path or package) that exports plugins',
  builder: (y) => y
    .positional('module', { type: 'string', demandOption: true, describe: 'Module path (./dist/x.js) or package name' })
    .option('opt', { type: 'string', array: true, describe: 'Plugin option key=value passed to create() (repeatable)' })
    .option('runs', { type: 'number', default: 150, describe: 'fast-check runs per property' })
    .option('seed', { type: 'number', describe: 'fast-check seed (to replay a failure)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print results as JSON' }) as unknown as Argv<CheckArgs>,
  handler: handler(async (a: CheckArgs) => {
    const loaded = await loadPluginModule(a.module);
    const options = parsePluginOptions(a.opt);
    const byName: Record<string, typeof options> = {};
    for (const p of [...loaded.pickers, ...loaded.chokers, ...loaded.sources]) byName[p.name] = options;
    const results = checkAll(loaded, { options: byName, numRuns: a.runs, seed: a.seed });
    process.stdout.write(a.json ? `${JSON.stringify(results, null, 2)}\n` : `${formatResults(results)}\n`);
    const failed = results.filter((r) => !r.ok).length;
    if (!a.json) process.stdout.write(`${results.length - failed}/${results.length} checks passed\n`);
    if (failed > 0) throw new BtLabError('ECONTRACT', `${failed} contract check(s) failed`);
  }),
};

export const pluginsCommand: CommandModule<object, ListArgs> = {
  command: 'plugins',
  describe: 'List strategy plugins with their options; `plugins check <module>` runs the contract tests',
  builder: (y) => y
    .command(checkCommand as CommandModule<object, any>)
    .option('json', { type: 'boolean', default: false, describe: 'Print as JSON' }) as unknown as Argv<ListArgs>,
  handler: handler((a: ListArgs) => {
    const groups: Array<[string, string, PluginMeta[]]> = [
      ['Piece pickers', '--picker NAME --picker-opt key=value', builtinPickers],
      ['Chokers', '--choker NAME --choker-opt key=value', builtinChokers],
      ['Peer sources', 'enabled by the download/seed flags', builtinSources],
    ];
    if (a.json) {
      const strip = (p: PluginMeta) => ({ name: p.name, description: p.description, options: p.options ?? [] });
      process.stdout.write(`${JSON.stringify({ pickers: builtinPickers.map(strip), chokers: builtinChokers.map(strip), sources: builtinSources.map(strip) }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${formatPluginList(groups)}A third-party plugin is a module exporting the same shape: --picker ./my-picker.js (see docs/writing-a-plugin.md).\n`);
  }),
};
