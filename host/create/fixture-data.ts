import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The synthetic content behind test/fixtures/torrents (make_fixtures.py): byte i of a file
 * with seed s is (i*31 + s) % 251. Rebuilding it lets tests hash the same bytes the fixture
 * tools hashed.
 */
export function fixtureContent(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) % 251;
  return b;
}

/** Write the fixture data set (`data` of expected.json) under `dir`. */
export function writeFixtureData(dir: string, data: ReadonlyArray<{ path: string; size: number; seed: number }>): void {
  for (const d of data) {
    const p = join(dir, ...d.path.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, fixtureContent(d.size, d.seed));
  }
}
