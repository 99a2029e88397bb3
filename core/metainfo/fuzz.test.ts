import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMetainfo, isMetainfoInputError } from './parse.js';
import { mutatedArb } from '../bencode/arbitrary.js';

const dir = join(process.cwd(), 'test', 'fixtures', 'torrents');
const corpus = ['odd.mk.torrent', 'multi.mk.torrent', 'multi.lt.torrent', 'multi.hybrid.lt.torrent'].map((f) => new Uint8Array(readFileSync(join(dir, f))));

function typedOnly(b: Uint8Array, strict: boolean): boolean {
  try { parseMetainfo(b, { strict }); } catch (e) { if (!isMetainfoInputError(e)) throw e; }
  return true;
}

test('fuzz: mutated real torrents either parse or throw MetainfoError/BencodeError', (t) => {
  fc.assert(fc.property(mutatedArb(fc.constantFrom(...corpus)), fc.boolean(), typedOnly), { numRuns: 2000 });
  t.pass();
});

test('fuzz: arbitrary bytes either parse or throw MetainfoError/BencodeError', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), typedOnly), { numRuns: 1000 });
  t.pass();
});
