/**
 * The conformance harness's vocabulary (issue #8). Modelled on h2spec (one module per spec
 * section, selectable case ids, --strict) and Autobahn|Testsuite (outcomes OK, NON-STRICT,
 * INFORMATIONAL, UNIMPLEMENTED, FAILED; one JSON entry per case).
 *
 * A CASE checks one clause of /work/shared/CONFORMANCE.md against one TARGET (a codec, a
 * tracker, a peer, a DHT node). It returns a VERDICT (what it saw); the runner turns the
 * verdict and the clause's level into an OUTCOME (what the report says).
 */
import type { Random } from '../core/seam/time.js';

/** Tags of CONFORMANCE.md. Upper case = RFC 2119 keyword in the BEP; lower case = informal. */
export type Level = 'MUST' | 'must' | 'SHOULD' | 'should' | 'MAY' | 'desc' | 'derived';

export type Outcome = 'passed' | 'failed' | 'non-strict' | 'unimplemented' | 'informational';

/** The kinds of target; each case is written for exactly one. */
export type SuiteName = 'bencode' | 'metainfo' | 'tracker-udp' | 'tracker-http' | 'peer' | 'dht';

/** What a case observed. */
export type Verdict =
  | { kind: 'pass'; evidence?: string }
  | { kind: 'fail'; evidence: string; counterexample?: unknown; seed?: number; shrinks?: number }
  /** The target does not offer the feature the clause is about (e.g. no ut_metadata). */
  | { kind: 'unimplemented'; evidence: string }
  /** Nothing to judge, only something to report (e.g. which reserved bits a peer sets). */
  | { kind: 'info'; evidence: string };

export interface CaseContext {
  /** Seed of this run (fast-check seed and the case's own Random). */
  readonly seed: number;
  /** A Random derived from the seed and the case id: a case's traffic replays with the seed. */
  readonly rng: Random;
  /** Per-exchange wait for a reply, ms. */
  readonly replyTimeoutMs: number;
  /** Record one line of evidence (kept in the report even when the case passes). */
  note(line: string): void;
  /**
   * Memoise an expensive exchange shared by several cases of one run (e.g. one peer session
   * that several wire cases read), so a run opens few connections.
   */
  shared<T>(key: string, make: () => Promise<T>): Promise<T>;
}

export interface ConformanceCase<T = unknown> {
  /** Unique id: `<clause>:<slug>`, e.g. `BEP15-CONN-2:txid-echo`. */
  readonly id: string;
  /** Clause id from CONFORMANCE.md. */
  readonly clause: string;
  readonly level: Level;
  readonly title: string;
  readonly suite: SuiteName;
  /**
   * For desc/derived clauses: true (default) when the clause is needed to interoperate (a
   * layout), so a violation is `failed`; false makes it `non-strict` like a SHOULD.
   */
  readonly interop?: boolean;
  /**
   * Run order within the suite (default 50, stable). Peer cases that may make the peer close
   * or ban us (oversized requests, unknown ids) run last, so they cannot spoil the others.
   */
  readonly order?: number;
  /** 'property' (fast-check) or 'exchange' (scripted traffic); shown in --list. */
  readonly style: 'property' | 'exchange';
  run(target: T, ctx: CaseContext): Promise<Verdict>;
}

export interface CaseResult {
  id: string;
  clause: string;
  level: Level;
  title: string;
  suite: SuiteName;
  outcome: Outcome;
  evidence: string[];
  durationMs: number;
  /** Shrunk counter-example of a failed property (JSON-safe: bytes as hex). */
  counterexample?: unknown;
  seed?: number;
  shrinks?: number;
}

export interface RunReport {
  tool: 'bt-lab conformance';
  /** What was tested, e.g. `udp://127.0.0.1:6969` or `bt-lab bencode (in-process)`. */
  target: string;
  suite: SuiteName;
  strict: boolean;
  seed: number;
  startedAt: string;
  durationMs: number;
  results: CaseResult[];
  totals: Record<Outcome, number> & { executed: number };
}

/** A case that fails is a violation; thrown by `expect` helpers inside cases. */
export class CaseFailure extends Error {
  constructor(readonly evidence: string, readonly extra: { counterexample?: unknown; seed?: number; shrinks?: number } = {}) {
    super(evidence);
  }
}

/** Thrown by a case to report the feature absent (outcome `unimplemented`). */
export class CaseUnimplemented extends Error {}

/** Thrown by a case that cannot judge (outcome `informational`). */
export class CaseInformational extends Error {}
