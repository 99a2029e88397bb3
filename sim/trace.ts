import { closeSync, openSync, writeSync } from 'node:fs';
import { toHex } from '../core/util/bytes.js';

/**
 * The simulation trace: one JSON object per line, `{"t":12.500,"n":"n3","e":"link.close",...}`.
 *
 * WHY hand-formatted: the same seed must give byte-identical files, on any machine and locale.
 * So times always have 3 decimals, other non-integers 6, integers print as integers, byte
 * arrays as hex, key order is the order the caller gave, and nothing goes through
 * toLocaleString or JSON.stringify of whole objects. Lines are buffered and handed to a sink
 * in large chunks; a disabled writer costs one boolean test per call site (callers check
 * `enabled` before building fields).
 */

export type TraceValue = string | number | boolean | null | undefined | Uint8Array;
export type TraceFields = Record<string, TraceValue>;

export interface TraceSink {
  write(chunk: string): void;
  close?(): void;
}

/** Format one number the deterministic way (see file comment). */
export function formatNumber(x: number, decimals = 6): string {
  if (!Number.isFinite(x)) return 'null';
  if (Number.isInteger(x)) return Object.is(x, -0) ? '0' : String(x);
  return x.toFixed(decimals);
}

/**
 * JSON string literals of the strings a trace repeats endlessly (keys, event names, node ids,
 * close reasons, addresses): quoting each anew was a tenth of the trace's cost. Bounded; the
 * output is the same with or without it.
 */
const quotedCache = new Map<string, string>();
const QUOTED_CACHE_MAX = 50_000;

function quoted(s: string): string {
  let q = quotedCache.get(s);
  if (q === undefined) {
    if (quotedCache.size >= QUOTED_CACHE_MAX) quotedCache.clear();
    q = JSON.stringify(s);
    quotedCache.set(s, q);
  }
  return q;
}

function formatValue(v: TraceValue): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return quoted(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return `"${toHex(v)}"`;
}

/** One trace line, without the newline. Keys t, n, e are reserved. */
export function formatTraceLine(t: number, node: string | null, event: string, fields?: TraceFields): string {
  let s = `{"t":${Number.isFinite(t) ? t.toFixed(3) : 'null'},"n":${node === null ? 'null' : quoted(node)},"e":${quoted(event)}`;
  if (fields) {
    for (const k in fields) s += `,${quoted(k)}:${formatValue(fields[k])}`;
  }
  return s + '}';
}

export interface TraceWriterOptions {
  sink?: TraceSink;
  /** Default true when a sink is given. */
  enabled?: boolean;
  /** Flush to the sink when this many characters are buffered. Default 256 KiB. */
  bufferChars?: number;
}

export class TraceWriter {
  enabled: boolean;
  /** Lines written (while enabled). */
  lines = 0;
  private sink: TraceSink | null;
  private buf: string[] = [];
  private bufChars = 0;
  private readonly limit: number;

  constructor(opts: TraceWriterOptions = {}) {
    this.sink = opts.sink ?? null;
    this.enabled = opts.enabled ?? this.sink !== null;
    this.limit = opts.bufferChars ?? 256 * 1024;
  }

  emit(t: number, node: string | null, event: string, fields?: TraceFields): void {
    if (!this.enabled) return;
    const line = formatTraceLine(t, node, event, fields) + '\n';
    this.lines++;
    this.buf.push(line);
    this.bufChars += line.length;
    if (this.bufChars >= this.limit) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const chunk = this.buf.join('');
    this.buf = [];
    this.bufChars = 0;
    if (this.sink) this.sink.write(chunk);
  }

  close(): void {
    this.flush();
    this.sink?.close?.();
    this.enabled = false;
  }
}

/** Keeps the trace in memory (tests, small runs). */
export function memorySink(): TraceSink & { text(): string } {
  const parts: string[] = [];
  return { write: (c) => { parts.push(c); }, text: () => parts.join('') };
}

/** Appends to a file, synchronously (the simulator is single-threaded; order is the file order). */
export function fileSink(path: string): TraceSink {
  const fd = openSync(path, 'w');
  let open = true;
  return {
    write: (c) => { writeSync(fd, c); },
    close: () => { if (open) { open = false; closeSync(fd); } },
  };
}
