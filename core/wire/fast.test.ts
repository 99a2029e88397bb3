import test from 'ava';
import { allowedFastSet, parseIpv4 } from './fast.js';
import { ProtocolError } from '../util/errors.js';

const AA = new Uint8Array(20).fill(0xaa);

test('BEP 6 allowed-fast vector: 1313 pieces, 0xAA×20, 80.4.4.200, k=7', (t) => {
  t.deepEqual(allowedFastSet(7, 1313, AA, '80.4.4.200'), [1059, 431, 808, 1217, 287, 376, 1188]);
});

test('BEP 6 allowed-fast vector: k=9 adds 353 and 508', (t) => {
  t.deepEqual(allowedFastSet(9, 1313, AA, '80.4.4.200'), [1059, 431, 808, 1217, 287, 376, 1188, 353, 508]);
});

test('BEP 6: the set depends on the /24 only; bytes or dotted quad give the same answer', (t) => {
  t.deepEqual(allowedFastSet(9, 1313, AA, '80.4.4.1'), allowedFastSet(9, 1313, AA, '80.4.4.200'));
  t.deepEqual(allowedFastSet(9, 1313, AA, new Uint8Array([80, 4, 4, 200])), allowedFastSet(9, 1313, AA, '80.4.4.200'));
  t.notDeepEqual(allowedFastSet(9, 1313, AA, '80.4.5.200'), allowedFastSet(9, 1313, AA, '80.4.4.200'));
});

test('BEP 6: k larger than the piece count yields every piece once (the loop terminates)', (t) => {
  const s = allowedFastSet(10, 3, AA, '10.0.0.1');
  t.deepEqual([...s].sort(), [0, 1, 2]);
  t.deepEqual(allowedFastSet(5, 0, AA, '10.0.0.1'), []);
});

test('bad addresses and hashes are typed errors', (t) => {
  t.throws(() => parseIpv4('1.2.3'), { instanceOf: ProtocolError });
  t.throws(() => parseIpv4('1.2.3.256'), { instanceOf: ProtocolError });
  t.throws(() => parseIpv4('01.2.3.4'), { instanceOf: ProtocolError });
  t.throws(() => allowedFastSet(1, 10, new Uint8Array(19), '1.2.3.4'), { instanceOf: ProtocolError });
});
