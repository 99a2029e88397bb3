/**
 * The seam rule (README "The seam"): pure core code gets time, randomness and I/O only
 * through core/seam. This scanner finds the lines that break it; seam.test.ts fails the
 * build on any, and `npm run lint` prints them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const RULES: Array<{ re: RegExp; why: string }> = [
  { re: /from\s+['"](node:)?(net|dgram|fs|fs\/promises|http|https|http2|child_process|worker_threads|cluster|tls)['"]/, why: 'imports a world-facing Node module' },
  { re: /import\(\s*['"](node:)?(net|dgram|fs|fs\/promises|http|https|child_process|worker_threads)['"]\s*\)/, why: 'dynamically imports a world-facing Node module' },
  { re: /\bDate\.now\s*\(/, why: 'reads the wall clock (use host.clock)' },
  { re: /\bnew\s+Date\s*\(\s*\)/, why: 'reads the wall clock (use host.clock)' },
  { re: /\bperformance\.now\s*\(/, why: 'reads a real clock (use host.clock)' },
  { re: /\bprocess\.hrtime\b/, why: 'reads a real clock (use host.clock)' },
  { re: /\bMath\.random\s*\(/, why: 'uses unseeded randomness (use host.random)' },
  { re: /\b(setTimeout|setInterval|setImmediate)\s*\(/, why: 'schedules a real timer (use host.timers)' },
  { re: /\b(randomBytes|randomUUID|randomInt)\s*\(/, why: 'uses unseeded randomness (use host.random)' },
];

export interface SeamViolation { file: string; line: number; text: string; why: string }

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* tsFiles(p);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) yield p;
  }
}

/** Scan `coreDir` (core/ source, not tests). A line may opt out with `// seam-ok: <why>`. */
export function findSeamViolations(coreDir: string, root: string): SeamViolation[] {
  const out: SeamViolation[] = [];
  for (const file of tsFiles(coreDir)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (/\/\/\s*seam-ok:/.test(text)) return;
      const code = text.replace(/\/\/.*$/, '');
      if (/^\s*(\*|\/\*)/.test(code)) return; // doc comments mention these names
      for (const r of RULES) if (r.re.test(code)) out.push({ file: relative(root, file), line: i + 1, text: text.trim(), why: r.why });
    });
  }
  return out;
}

// `node dist/test/seam-rules.js` prints violations and exits 1 if any (used by npm run lint).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.cwd();
  const v = findSeamViolations(join(root, 'core'), root);
  for (const x of v) console.error(`${x.file}:${x.line}: ${x.why}: ${x.text}`);
  console.log(v.length === 0 ? 'seam check: core/ is pure' : `seam check: ${v.length} violation(s)`);
  process.exit(v.length === 0 ? 0 : 1);
}
