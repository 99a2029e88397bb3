/**
 * `npm run bench`: runs every quick benchmark in sequence, each in its own process (so one's
 * memory or JIT state does not colour the next), and prints their tables. The long ones
 * (loopback 1 GiB, sim scale, tracker load) have their own npm scripts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const here = join(process.cwd(), 'dist', 'bench');
const quick = process.argv.slice(2).length ? process.argv.slice(2) : ['bencode', 'wire', 'create', 'storage', 'dht', 'magnet', 'sim-kernel'];
let failed = 0;
for (const name of quick) {
  const file = join(here, `${name}.js`);
  if (!existsSync(file)) { console.log(`\n== ${name}: missing (${file})`); failed++; continue; }
  console.log(`\n== ${name}`);
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) { console.log(`== ${name} exited with ${r.status}`); failed++; }
}
process.exit(failed ? 1 : 0);
