/**
 * Parser fuzzing at volume: `node dist/bench/fuzz.js [--runs N] [--seed S] [--target NAME]`.
 *
 * Every parser that reads untrusted bytes must either accept an input or throw its typed
 * error; anything else (TypeError, RangeError, a stack overflow...) is a bug. The default
 * run is 1,000,000 cases split across the targets; the exit status is non-zero if any
 * target threw an untyped error (the first few offending inputs are printed as hex).
 *
 * Inputs come from a seeded PRNG (reproducible: same --seed, same cases): uniform random
 * bytes, "token soup" drawn from the target's alphabet, and byte-level mutations of a small
 * corpus of valid inputs (flips, truncations, insertions, deletions, duplicated tails).
 *
 * To add a parser: append a FuzzTarget to `targets` below — a name, a corpus of valid
 * inputs, an alphabet of interesting bytes, `run` (parse one input) and `typed` (is this
 * error one your parser is allowed to throw?).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decode } from '../core/bencode/decode.js';
import { encode } from '../core/bencode/encode.js';
import { buildInfo, buildMetainfo, pieceHashes } from '../core/metainfo/build.js';
import { parseMetainfo, isMetainfoInputError } from '../core/metainfo/parse.js';
import { parseMagnet } from '../core/magnet/parse.js';
import { formatMagnet } from '../core/magnet/format.js';
import { BencodeError, MagnetError } from '../core/util/errors.js';
import { toHex, utf8 } from '../core/util/bytes.js';
import { seededRandom } from '../core/util/prng.js';
import type { Random } from '../core/seam/time.js';

export interface FuzzTarget {
  name: string;
  /** Valid (or interesting) inputs to mutate. */
  corpus: Uint8Array[];
  /** Bytes that mean something to the parser, for token-soup inputs. */
  alphabet: Uint8Array;
  /** Parse one input; return normally on acceptance. */
  run(input: Uint8Array): void;
  /** True if `e` is an error this parser is allowed to throw on bad input. */
  typed(e: unknown): boolean;
}

const latin1 = new TextDecoder('latin1');

function sampleTorrents(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dir = join(process.cwd(), 'test', 'fixtures', 'torrents');
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.torrent')) out.push(new Uint8Array(readFileSync(join(dir, f))));
  const content = new Uint8Array(70_000).map((_, i) => (i * 31) % 251);
  const multi = buildInfo({ name: 'd', files: [{ path: ['a'], length: 30_000 }, { path: ['s', 'b'], length: 40_000 }], pieceLength: 16384, pieces: pieceHashes(content, 16384) });
  out.push(buildMetainfo({ rawInfo: multi.rawInfo, trackers: [['http://t/a'], ['udp://u:1']], comment: 'c', creationDate: 1, nodes: [{ host: '127.0.0.1', port: 6881 }], urlList: ['http://w/'] }));
  const single = buildInfo({ name: 'f', files: [{ path: ['f'], length: 5 }], pieceLength: 4, pieces: pieceHashes(content.subarray(0, 5), 4), private: true });
  out.push(buildMetainfo({ rawInfo: single.rawInfo }));
  return out;
}

export const targets: FuzzTarget[] = [
  {
    name: 'bencode.decode',
    corpus: [
      ...['4:spam', 'i3e', 'i-3e', 'i0e', 'l4:spam4:eggse', 'd3:cow3:moo4:spam4:eggse', 'd4:spaml1:a1:bee', 'i123456789012345678901234567890e'].map(utf8),
      encode({ a: [1, 2n ** 70n, { b: new Uint8Array([0, 255]) }], z: 'x' }),
    ],
    alphabet: utf8('ilde0123456789:-'),
    run: (b) => {
      decode(b);
      decode(b, { strict: false });
    },
    typed: (e) => e instanceof BencodeError && e.offset >= 0,
  },
  {
    name: 'metainfo.parse',
    corpus: sampleTorrents(),
    alphabet: utf8('ilde0123456789:-./'),
    run: (b) => {
      parseMetainfo(b);
      parseMetainfo(b, { strict: false });
    },
    typed: isMetainfoInputError,
  },
  {
    name: 'magnet.parse',
    corpus: [
      formatMagnet({ infoHash: new Uint8Array(20).fill(0xaa), name: 'n ✓', trackers: ['http://t/a?x=1', 'udp://u:1'], peers: [{ host: '::1', port: 6881 }, { host: '10.0.0.1', port: 1 }] }),
      'magnet:?xt=urn:btih:VKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVK&dn=a+b&x.pe=h:1',
      `magnet:?xt=urn:btih:${'ab'.repeat(20)}&xt=urn:btmh:1220${'cd'.repeat(32)}&tr.1=x&tr.2=y`,
    ].map(utf8),
    alphabet: utf8('magnet:?&=xtdnrpe.urnbtihm%[]:0123456789abcdefABCDEFVK+'),
    run: (b) => { parseMagnet(latin1.decode(b)); },
    typed: (e) => e instanceof MagnetError,
  },
];

/** One input: random bytes, token soup, or a mutated corpus entry. */
function makeInput(t: FuzzTarget, r: Random): Uint8Array {
  const kind = r.int(4);
  if (kind === 0) return r.bytes(r.int(65));
  if (kind === 1) {
    const n = r.int(80);
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = t.alphabet[r.int(t.alphabet.length)];
    return b;
  }
  let b = Array.from(t.corpus[r.int(t.corpus.length)]);
  const ops = 1 + r.int(4);
  for (let k = 0; k < ops; k++) {
    const i = r.int(b.length + 1);
    const byte = r.int(3) === 0 ? t.alphabet[r.int(t.alphabet.length)] : r.int(256);
    switch (r.int(5)) {
      case 0: if (b.length) b[i % b.length] = byte; break;
      case 1: b = b.slice(0, i); break;
      case 2: b.splice(i, 0, byte); break;
      case 3: if (b.length) b.splice(i % b.length, 1); break;
      default: b = b.concat(b.slice(i, i + 1 + r.int(64))); break;
    }
  }
  return Uint8Array.from(b);
}

function main(): void {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const runs = Number(arg('runs') ?? 1_000_000);
  const seed = arg('seed') ?? 'bt-lab-fuzz';
  const only = arg('target');
  const chosen = targets.filter((t) => !only || t.name === only);
  if (chosen.length === 0 || !(runs > 0)) {
    console.error(`fuzz: nothing to run (targets: ${targets.map((t) => t.name).join(', ')})`);
    process.exit(2);
  }
  const per = Math.ceil(runs / chosen.length);
  let bad = 0;
  console.log(`fuzz: ${per * chosen.length} cases, seed ${JSON.stringify(seed)}`);
  console.log(`${'target'.padEnd(18)}${'cases'.padStart(10)}${'accepted'.padStart(10)}${'typed err'.padStart(11)}${'UNTYPED'.padStart(9)}${'sec'.padStart(7)}`);
  for (const t of chosen) {
    const r = seededRandom(`${seed}/${t.name}`);
    let ok = 0, typed = 0, untyped = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < per; i++) {
      const input = makeInput(t, r);
      try {
        t.run(input);
        ok++;
      } catch (e) {
        if (t.typed(e)) { typed++; continue; }
        untyped++;
        if (untyped <= 5) console.error(`  ${t.name}: ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}\n    input (hex): ${toHex(input)}`);
      }
    }
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    bad += untyped;
    console.log(`${t.name.padEnd(18)}${String(per).padStart(10)}${String(ok).padStart(10)}${String(typed).padStart(11)}${String(untyped).padStart(9)}${sec.toFixed(1).padStart(7)}`);
  }
  if (bad > 0) {
    console.error(`fuzz: ${bad} untyped error(s)`);
    process.exit(1);
  }
  console.log('fuzz: every input was accepted or refused with the typed error');
}

// Run only as a script, so other tools can import `targets`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
