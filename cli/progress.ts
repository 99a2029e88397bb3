import type { TorrentStats } from '../core/torrent/torrent.js';

/** Human formatting for progress output (binary units, like Transmission and libtorrent tools). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--:--';
  s = Math.round(s);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

export function progressLine(s: TorrentStats, width = 24): string {
  const frac = s.totalBytes > 0 ? s.haveBytes / s.totalBytes : 1;
  const filled = Math.round(frac * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  return `[${bar}] ${(frac * 100).toFixed(1).padStart(5)}%  down ${formatBytes(s.downloadRate)}/s  up ${formatBytes(s.uploadRate)}/s  peers ${s.peers} (${s.seeds} seeds)  ETA ${formatDuration(s.eta)}`;
}

export function progressJson(event: string, s: TorrentStats, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event, status: s.status, progress: s.totalBytes > 0 ? s.haveBytes / s.totalBytes : 1,
    pieces: s.havePieces, of: s.pieces, downloaded: s.downloaded, uploaded: s.uploaded,
    downRate: Math.round(s.downloadRate), upRate: Math.round(s.uploadRate), peers: s.peers, seeds: s.seeds,
    banned: s.banned, hashFailures: s.hashFailures, eta: s.eta === null ? null : Math.round(s.eta), ...extra,
  });
}

/** Prints progress in the mode that suits the output: live bar (TTY), JSON lines, or plain lines. */
export class ProgressPrinter {
  private lastPlain = -Infinity;
  constructor(private readonly mode: 'tty' | 'json' | 'plain', private readonly out: NodeJS.WriteStream = process.stdout) {}

  static forStdout(json: boolean): ProgressPrinter {
    return new ProgressPrinter(json ? 'json' : process.stdout.isTTY ? 'tty' : 'plain');
  }

  event(name: string, s: TorrentStats, extra: Record<string, unknown> = {}, text?: string): void {
    if (this.mode === 'json') this.out.write(progressJson(name, s, extra) + '\n');
    else {
      if (this.mode === 'tty') this.out.write('\r\x1b[K');
      this.out.write((text ?? `${name}: ${progressLine(s)}`) + '\n');
    }
  }

  raw(obj: Record<string, unknown>, text: string): void {
    if (this.mode === 'json') this.out.write(JSON.stringify(obj) + '\n');
    else this.out.write(text + '\n');
  }

  tick(s: TorrentStats, nowMs: number): void {
    if (this.mode === 'json') this.out.write(progressJson('progress', s) + '\n');
    else if (this.mode === 'tty') this.out.write('\r\x1b[K' + progressLine(s));
    else if (nowMs - this.lastPlain >= 5000) { this.lastPlain = nowMs; this.out.write(progressLine(s) + '\n'); }
  }

  end(): void { if (this.mode === 'tty') this.out.write('\n'); }
}
