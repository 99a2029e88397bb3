/**
 * An optional extra on a ChokerPlugin: the most peers it will ever unchoke at once with these
 * options. The contract tests (plugins/contract/choker-contract.ts) check the bound when a
 * plugin declares it; chokers whose slot count is unbounded (or rate-driven without a cap)
 * leave it out. Proposed for core/plugin-api/choker.ts; kept here until the lead adopts it.
 */
import type { PluginOptions } from '../../core/plugin-api/common.js';

export interface SlotBound {
  maxUnchoked?(options: PluginOptions): number;
}
