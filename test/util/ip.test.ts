import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrWithin,
  formatIPv6,
  formatIp,
  networkBits,
  parseCidr,
  parseIPv4,
  parseIPv6,
  parseIp,
  rangeContains,
} from '../../src/util/ip.js';
import { inCidr, firstHostOf } from '../../src/collect/parse/sshd-config.js';
import { addressFamily, cidrContains } from '../../src/facts/firewall.js';

test('parseIPv4: dotted quads only, octets 0-255', () => {
  assert.equal(parseIPv4('0.0.0.0'), 0n);
  assert.equal(parseIPv4('255.255.255.255'), 0xffffffffn);
  assert.equal(parseIPv4('10.0.0.1'), 0x0a000001n);
  assert.equal(parseIPv4('010.0.0.1'), 0x0a000001n, 'a leading zero is decimal, as before the fold');
  for (const bad of ['256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.4 ', '', 'a.b.c.d', '1..2.3', '::1', '1.2.3.1234'])
    assert.equal(parseIPv4(bad), null, bad);
});

test('parseIPv6: ::, embedded dotted quad, group counts, invalid input', () => {
  assert.equal(parseIPv6('::'), 0n);
  assert.equal(parseIPv6('::1'), 1n);
  assert.equal(parseIPv6('1::'), 1n << 112n);
  assert.equal(parseIPv6('FE80::1'), (0xfe80n << 112n) | 1n, 'upper-case hex');
  assert.equal(parseIPv6('1:2:3:4:5:6:7:8'), parseIPv6('1:2:3:4:5:6:7:8'));
  assert.equal(parseIPv6('::ffff:192.0.2.1'), (0xffffn << 32n) | 0xc0000201n, 'v4-mapped');
  assert.equal(parseIPv6('::192.0.2.1'), 0xc0000201n, 'v4-compatible');
  assert.equal(parseIPv6('1:2:3:4:5:6:1.2.3.4'), parseIPv6('1:2:3:4:5:6:102:304'));
  for (const bad of [
    '',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    ':1::',
    '1:',
    '12345::',
    'g::1',
    '1:2:3:4:5:6:7::8', // "::" must stand for at least one group (inet_pton)
    '1.2.3.4::',
    '::1.2.3.4:5', // a dotted quad only as the last 32 bits
    '::ffff:256.0.0.1',
    '::a1.2.3.4',
    '1.2.3.4',
    'fe80::1%eth0',
  ])
    assert.equal(parseIPv6(bad), null, bad);
});

test('parseIp / parseCidr: family, prefixes 0 and full, malformed ranges', () => {
  assert.deepEqual(parseIp('127.0.0.1'), { family: 4, bits: 0x7f000001n });
  assert.deepEqual(parseIp('::1'), { family: 6, bits: 1n });
  assert.equal(parseIp('localhost'), null);
  assert.deepEqual(parseCidr('10.0.0.0/0'), { family: 4, bits: 0x0a000000n, prefix: 0 });
  assert.deepEqual(parseCidr('10.0.0.1'), { family: 4, bits: 0x0a000001n, prefix: 32 });
  assert.deepEqual(parseCidr('::/0'), { family: 6, bits: 0n, prefix: 0 });
  assert.deepEqual(parseCidr('::1'), { family: 6, bits: 1n, prefix: 128 });
  assert.equal(parseCidr('::1/128')?.prefix, 128);
  assert.equal(parseCidr('10.0.0.0/32')?.prefix, 32);
  for (const bad of [
    '10.0.0.0/33',
    '::/129',
    '10.0.0.0/',
    '10.0.0.0/ 8',
    '10.0.0.0/0x8',
    '10.0.0.0/-1',
    '10.0.0.0/8/9',
    '/8',
    'host/8',
    '10.0.0.0/1e1',
  ])
    assert.equal(parseCidr(bad), null, bad);
});

test('rangeContains / networkBits: edges of a range, /0, host ranges, no family mixing', () => {
  const r = parseCidr('192.0.2.77/24')!;
  assert.equal(formatIp({ family: 4, bits: networkBits(r) }), '192.0.2.0');
  assert.ok(rangeContains(r, parseIp('192.0.2.0')!));
  assert.ok(rangeContains(r, parseIp('192.0.2.255')!));
  assert.ok(!rangeContains(r, parseIp('192.0.3.0')!));
  assert.ok(rangeContains(parseCidr('0.0.0.0/0')!, parseIp('203.0.113.9')!));
  assert.ok(!rangeContains(parseCidr('0.0.0.0/0')!, parseIp('::1')!), 'no family mixing');
  assert.ok(!rangeContains(parseCidr('10.0.0.0/8')!, parseIp('::ffff:10.0.0.1')!), 'a v4-mapped address is IPv6 here');
  assert.ok(rangeContains(parseCidr('::ffff:0:0/96')!, parseIp('::ffff:10.0.0.1')!));
  assert.ok(rangeContains(parseCidr('10.0.0.1/32')!, parseIp('10.0.0.1')!));
  assert.ok(!rangeContains(parseCidr('10.0.0.1/32')!, parseIp('10.0.0.2')!));
  assert.ok(rangeContains(parseCidr('::/0')!, parseIp('2001:db8::1')!));
  assert.ok(!rangeContains(parseCidr('::1/128')!, parseIp('::2')!));
  assert.ok(rangeContains(parseCidr('2001:db8::/32')!, parseIp('2001:db8:ffff::1')!));
});

test('formatIPv6: full and compressed forms', () => {
  assert.equal(formatIPv6(1n), '0:0:0:0:0:0:0:1');
  assert.equal(formatIPv6(1n, true), '::1');
  assert.equal(formatIPv6(0n, true), '::');
  assert.equal(formatIPv6(0xfe80n << 112n, true), 'fe80::');
  assert.equal(formatIPv6(parseIPv6('1:0:0:2:0:0:0:3')!, true), '1::2:0:0:0:3');
  assert.equal(formatIPv6(parseIPv6('1:2:3:4:5:6:7:8')!, true), '1:2:3:4:5:6:7:8');
});

test('callers keep their contracts: sshd inCidr/firstHostOf, firewall cidrContains/addressFamily', () => {
  assert.equal(inCidr('10.1.2.3', '10.0.0.0/8'), true);
  assert.equal(inCidr('::1', '10.0.0.0/8'), false, 'other family: no match');
  assert.equal(inCidr('not-an-ip', '10.0.0.0/8'), false);
  assert.equal(inCidr('10.1.2.3', '10.0.0.0/33'), null, 'malformed range');
  assert.equal(firstHostOf('10.0.0.0/8'), '10.0.0.1');
  assert.equal(firstHostOf('10.0.0.7/31'), '10.0.0.7');
  assert.equal(firstHostOf('10.0.0.7'), '10.0.0.7');
  assert.equal(firstHostOf('2001:db8::/32'), '2001:db8:0:0:0:0:0:1');
  assert.equal(firstHostOf('10.0.0.0/'), null);
  assert.equal(cidrContains('10.0.0.0/8', '10.9.9.9'), true);
  assert.equal(cidrContains('10.0.0.0/8', '11.0.0.0'), false);
  assert.equal(cidrContains('10.0.0.0/8', '::1'), null, 'other family: null');
  assert.equal(cidrContains('10.0.0.0/', '11.0.0.0'), null, 'an empty prefix is malformed, not /0');
  assert.equal(addressFamily('2001:db8::/32'), 'ipv6');
  assert.equal(addressFamily('192.0.2.0/24'), 'ipv4');
  assert.equal(addressFamily('any'), null);
});

test('cidrWithin: the whole inner range inside the outer one', () => {
  assert.ok(cidrWithin('10.0.0.0/8', '10.1.0.0/16'));
  assert.ok(cidrWithin('10.0.0.0/8', '10.0.0.0/8'));
  assert.ok(cidrWithin('10.0.0.0/8', '10.2.3.4'));
  assert.ok(!cidrWithin('10.1.0.0/24', '10.1.0.0/16'), 'a wider range is not inside, though its first address is');
  assert.ok(cidrWithin('0.0.0.0/0', '192.0.2.0/24'));
  assert.ok(!cidrWithin('0.0.0.0/0', '::/0'));
  assert.ok(cidrWithin('2001:db8::/32', '2001:db8:1::/48'));
  assert.ok(!cidrWithin('2001:db8::1', '2001:db8::/127'));
  assert.ok(!cidrWithin('10.0.0.0/8', '@admins'));
  assert.ok(!cidrWithin('bogus', '10.0.0.1'));
});
