import { BtLabError } from '../../core/util/errors.js';

/**
 * A real download's stats log: the JSON lines `bt-lab download --json` prints (cli/progress.ts
 * progressJson: {event, status, progress, pieces, of, downloaded, uploaded, downRate, upRate,
 * peers, seeds, banned, hashFailures, eta}, plus 'listening', 'metadata', 'checked', 'banned'
 * and 'complete' events). Progress lines are printed once a second and carry no timestamp, so
 * time is the line's ordinal in seconds unless a line has a numeric `t` (seconds) of its own.
 * Lines that are not JSON objects (a shell prompt, stderr mixed in) are skipped and counted.
 */
export interface DownloadPoint { t: number; progress: number; downRate: number; upRate: number; peers: number; seeds: number; downloaded: number; uploaded: number }
export interface DownloadLog {
  points: DownloadPoint[];
  name: string | null;
  totalBytes: number | null;
  completeAt: number | null;
  banned: string[];
  hashFailures: number;
  skippedLines: number;
}

const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export function parseDownloadLog(text: string): DownloadLog {
  const log: DownloadLog = { points: [], name: null, totalBytes: null, completeAt: null, banned: [], hashFailures: 0, skippedLines: 0 };
  let tick = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    let o: unknown;
    try { o = JSON.parse(line); } catch { log.skippedLines++; continue; }
    if (typeof o !== 'object' || o === null || Array.isArray(o) || typeof (o as { event?: unknown }).event !== 'string') { log.skippedLines++; continue; }
    const e = o as Record<string, unknown>;
    const t = typeof e.t === 'number' && Number.isFinite(e.t) ? e.t : tick;
    switch (e.event) {
      case 'progress':
      case 'complete':
        if (typeof e.progress === 'number') {
          log.points.push({ t, progress: Math.min(1, Math.max(0, n(e.progress))), downRate: n(e.downRate), upRate: n(e.upRate), peers: n(e.peers), seeds: n(e.seeds), downloaded: n(e.downloaded), uploaded: n(e.uploaded) });
          log.hashFailures = Math.max(log.hashFailures, n(e.hashFailures));
        }
        if (e.event === 'progress') tick = t + 1;
        if (e.event === 'complete' && log.completeAt === null) log.completeAt = t;
        break;
      case 'metadata':
        if (typeof e.name === 'string') log.name = e.name;
        if (typeof e.bytes === 'number') log.totalBytes = e.bytes;
        break;
      case 'banned':
        if (typeof e.peer === 'string') log.banned.push(e.peer);
        break;
      default:
        break;
    }
  }
  if (!log.points.length) throw new BtLabError('EREPORT', 'no progress lines in the download log (expected the JSON lines of `bt-lab download --json`)', { skipped: log.skippedLines });
  return log;
}
