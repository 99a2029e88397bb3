/**
 * bt-lab's conformance harness (issue #8): BEP 3/5/6/9/10/15/23 cases with clause ids from
 * CONFORMANCE.md, run against bt-lab's own code in-process or against any implementation by
 * address. Entry points for the CLI (`bt-lab conformance`) and the tests.
 */
export * from './types.js';
export { runSuite, outcomeOf, isHard, totalsOf, type RunOptions } from './runner.js';
export { SUITES, SUITE_NAMES, selectCases, allCases, type SuiteTargets } from './registry.js';
export { makeSelector, globToRegExp } from './glob.js';
export { combine, exitCodeOf, totalsLine, type ConformanceRun } from './report/summary.js';
export { consoleSummary, caseLine } from './report/console.js';
export { toJUnit } from './report/junit.js';
export { toHtml } from './report/html.js';
export { writeReports, type OutputPaths } from './output.js';
export * from './targets/types.js';
export * from './targets/btlab-inprocess.js';
export * from './targets/by-address.js';
export { openUdpChannel, inProcessChannel, type DatagramChannel } from './channels/datagram.js';
export { httpChannel, inProcessHttp, type HttpChannel } from './channels/http.js';
export { PeerSession } from './channels/peer-session.js';
