/**
 * A progress bar for long batch work, on stderr so stdout stays clean for results. On a TTY
 * it redraws one line (at most ~5 times a second); otherwise it prints a plain line at each
 * 10 % step, so logs of CI runs stay short.
 */
export class ProgressBar {
  private lastDraw = -Infinity;
  private lastStep = -1;
  private readonly t0 = performance.now();
  constructor(private readonly label: string, private readonly out: NodeJS.WriteStream = process.stderr, private readonly tty = Boolean(out.isTTY), private readonly width = 30) {}

  /** Text of the bar (exported for tests): `label [#####-----]  45 % 18/40 runs  0:12 elapsed, ETA 0:15`. */
  static line(label: string, fraction: number, done: number, total: number, elapsedSec: number, width = 30): string {
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * width);
    const eta = f > 0.01 && f < 1 ? `, ETA ${clock(elapsedSec * (1 - f) / f)}` : '';
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)} %  ${done}/${total} runs  ${clock(elapsedSec)} elapsed${eta}`;
  }

  update(fraction: number, done: number, total: number): void {
    const now = performance.now();
    const elapsed = (now - this.t0) / 1000;
    if (this.tty) {
      if (now - this.lastDraw < 200 && done < total) return;
      this.lastDraw = now;
      this.out.write(`\r\x1b[K${ProgressBar.line(this.label, fraction, done, total, elapsed, this.width)}`);
    } else {
      const step = Math.floor(fraction * 10);
      if (step <= this.lastStep) return;
      this.lastStep = step;
      this.out.write(`${ProgressBar.line(this.label, fraction, done, total, elapsed, this.width)}\n`);
    }
  }

  end(): void { if (this.tty) this.out.write('\n'); }
}

function clock(s: number): string {
  s = Math.max(0, Math.round(s));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
