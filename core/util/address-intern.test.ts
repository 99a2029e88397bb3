import test from 'ava';
import { internAddress } from './address-intern.js';
import { addressKey } from '../seam/net.js';

test('internAddress: one frozen object and key per address, equal to addressKey; IPv6 keys bracketed', (t) => {
  const a = internAddress({ host: '10.0.0.7', port: 6881 });
  const b = internAddress({ host: '10.0.0.7', port: 6881 });
  t.is(a, b);
  t.is(a.key, addressKey({ host: '10.0.0.7', port: 6881 }));
  t.true(Object.isFrozen(a.addr));
  t.not(internAddress({ host: '10.0.0.7', port: 6882 }).key, a.key);
  t.is(internAddress({ host: '::1', port: 1 }).key, '[::1]:1');
});
