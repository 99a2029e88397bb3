import { BtLabError } from '../../core/util/errors.js';

/**
 * A conformance run, read through the minimal fields a report needs, so it keeps working as
 * the harness (conformance/) grows. Accepted shapes: the harness's conformance.json
 * (`{tool, strict, reports: [{target, results: [...]}]}`), an object with a `cases` or
 * `results` array (optionally `target`/`agent`, `strict`), or a bare array of cases. Per case:
 * `id` (or `clause`/`case`), `clause` (a CONFORMANCE.md clause ID like BEP15-CONN-3; defaults
 * to the id) and `outcome` (or `status`/`result`), e.g. passed, failed, non-strict,
 * unimplemented, informational; optional `title`/`name` and `message`/`detail`/`evidence[]`.
 */
export interface ConformanceCase { id: string; clause: string; outcome: string; title: string; message: string }
export interface ConformanceRun { target: string | null; strict: boolean | null; cases: ConformanceCase[] }

const str = (...vs: unknown[]) => { for (const v of vs) if (typeof v === 'string' && v) return v; return ''; };

type Obj = Record<string, unknown>;

/** The harness nests cases per target: {reports: [{target, results}]} → one flat list. */
function flatten(o: unknown): { list: unknown; targets: string[] } {
  if (Array.isArray(o)) return { list: o, targets: [] };
  if (typeof o !== 'object' || o === null) return { list: null, targets: [] };
  const r = o as Obj;
  if (Array.isArray(r.reports)) {
    const reps = r.reports.filter((x): x is Obj => typeof x === 'object' && x !== null);
    return { list: reps.flatMap((x) => (Array.isArray(x.results) ? x.results : Array.isArray(x.cases) ? x.cases : [])), targets: reps.map((x) => str(x.target)).filter(Boolean) };
  }
  return { list: r.cases ?? r.results, targets: [str(r.target, r.agent, r.peer)].filter(Boolean) };
}

export function looksLikeConformance(o: unknown): boolean {
  const { list } = flatten(o);
  return Array.isArray(list) && list.length > 0 && list.every((c) => typeof c === 'object' && c !== null && str((c as Record<string, unknown>).id, (c as Record<string, unknown>).clause, (c as Record<string, unknown>).case) !== '');
}

export function parseConformance(o: unknown): ConformanceRun {
  const bad = (why: string): never => { throw new BtLabError('EREPORT', `conformance results: ${why}`); };
  if (typeof o !== 'object' || o === null) return bad('expected an object or an array');
  const obj = (Array.isArray(o) ? {} : o) as Obj;
  const { list, targets } = flatten(o);
  if (!Array.isArray(list)) return bad('no "cases", "results" or "reports" array');
  const cases = list.map((c, i) => {
    if (typeof c !== 'object' || c === null) return bad(`case ${i} is not an object`);
    const r = c as Record<string, unknown>;
    const id = str(r.id, r.clause, r.case);
    const evidence = Array.isArray(r.evidence) ? r.evidence.filter((x) => typeof x === 'string').join('; ') : '';
    const outcome = str(r.outcome, r.status, r.result).toUpperCase();
    if (!id) bad(`case ${i} has no id`);
    if (!outcome) bad(`case ${id} has no outcome`);
    return { id, clause: str(r.clause) || id, outcome, title: str(r.title, r.name), message: str(r.message, r.detail, r.error, evidence) };
  });
  if (!cases.length) bad('zero cases — a run that executed nothing is not a pass');
  return { target: targets.length ? [...new Set(targets)].join(', ') : null, strict: typeof obj.strict === 'boolean' ? obj.strict : null, cases };
}

/** `BEP15-CONN-3` → `BEP15` (the spec a clause belongs to), for per-spec tallies. */
export const specOf = (id: string) => /^([A-Za-z]+\d*)/.exec(id)?.[1]?.toUpperCase() ?? 'other';
