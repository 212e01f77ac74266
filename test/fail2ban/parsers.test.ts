import { test } from 'node:test';
import assert from 'node:assert/strict';
import { str2seconds } from '../../src/collect/parse/fail2ban-time.js';
import { parsePortSpec, parseServices, portCovered } from '../../src/collect/parse/fail2ban-ports.js';
import { parseFail2banIni } from '../../src/collect/parse/fail2ban-ini.js';
import { getOption, mergeIniFiles } from '../../src/collect/parse/fail2ban-config.js';
import { parseFail2banDump, parseJailStatus, parsePyLiteral } from '../../src/collect/parse/fail2ban-dump.js';

test('str2seconds as MyTime.str2seconds', () => {
  const table: [string, number | null][] = [
    ['600', 600],
    ['10m', 600],
    ['1h', 3600],
    ['1d', 86400],
    ['1w', 604800],
    ['-1', -1],
    ['1h 30m', 5400],
    ['1d12h', 129600],
    ['1hour+30min', 5400],
    ['0d 1h 30m', 5400],
    ['2 hours', 7200],
    ['1mo', 2629800],
    ['1y', 31557600],
    ['1 fortnight', null],
    ['', null],
    ['1 2 3', null],
    ['__import__("os")', null],
  ];
  for (const [input, want] of table) {
    const r = str2seconds(input);
    assert.deepEqual(r.ok ? r.seconds : null, want, input);
  }
});

test('ports: names via /etc/services, lists, ranges, all', () => {
  const svc = parseServices('ssh\t\t22/tcp\t\t\t# SSH\nhttp 80/tcp www\nhttp 80/udp\n');
  assert.deepEqual(svc, { ssh: 22, http: 80, www: 80 });
  const p = parsePortSpec('ssh,2222', svc);
  assert.ok(portCovered(p, 22) && portCovered(p, 2222) && !portCovered(p, 2200));
  assert.ok(portCovered(parsePortSpec('1000:2000', svc), 1500));
  assert.ok(parsePortSpec('0:65535', svc).all);
  assert.ok(parsePortSpec('all', svc).all);
  assert.deepEqual(parsePortSpec('sshx', svc).unresolved, ['sshx']);
});

test('ini: comments, continuation, case, delimiters, strictness', () => {
  const f = parseFail2banIni(
    '# c\n[sshd]\nEnabled: true ; on\nlogpath = /a\n  # inside\n\n  /b\nport = 1000:2000\nx = a#b\n[DEFAULT]\nbantime=1h\n',
    'j',
  );
  assert.deepEqual(f.errors, []);
  const s = f.sections[0]!.options;
  assert.equal(s.enabled?.value, 'true');
  assert.equal(s.logpath?.value, '/a\n\n/b');
  assert.equal(s.port?.value, '1000:2000');
  assert.equal(s.x?.value, 'a#b');
  assert.equal(f.defaults.bantime?.line, 11);
  assert.match(parseFail2banIni('[a]\nx=1\nx=2\n', 'j').errors[0]!.message, /already exists/);
  assert.match(parseFail2banIni('x=1\n', 'j').errors[0]!.message, /no section headers/);
  assert.match(parseFail2banIni('[a]\njunk\n', 'j').errors[0]!.message, /not an option line/);
});

test('interpolation: __name__, known/, default/, depth', () => {
  const a = parseFail2banIni('[DEFAULT]\nfilter = %(__name__)s[mode=x]\nport = 0:65535\n[sshd]\nport = ssh\n', 'a');
  const b = parseFail2banIni('[sshd]\nport = %(known/port)s,2222\nb = %(default/port)s\nloop = %(loop)s\n', 'b');
  const cfg = mergeIniFiles([a, b]);
  const get = (o: string) => getOption(cfg, 'sshd', o);
  assert.deepEqual(get('filter')?.ok && get('filter'), { ok: true, value: 'sshd[mode=x]', source: a.defaults.filter, refs: [] });
  const port = get('port');
  assert.ok(port?.ok && port.value === 'ssh,2222');
  const bb = get('b');
  assert.ok(bb?.ok && bb.value === '0:65535');
  const loop = get('loop');
  assert.ok(loop && !loop.ok && /nested/.test(loop.error));
});

test('dump: python literals, jails, actions; status output', () => {
  assert.deepEqual(parsePyLiteral(`['a', "b'c", 5, ['x', 'y\\n'], True, None]`), ['a', "b'c", 5, ['x', 'y\n'], true, null]);
  assert.equal(parsePyLiteral('[1, 2'), null);
  // Octal escapes as ast.literal_eval reads them (python3 prints ['a\x00bAS4', (1, 2)]: at most three octal digits).
  assert.deepEqual(parsePyLiteral(String.raw`['a\0b\101\1234', (1, 2)]`), ['a\0bAS4', [1, 2]]);
  const d = parseFail2banDump(
    [
      '2026-11-28 07:38:52,503 fail2ban.configreader   [7499]: WARNING x',
      "['set', 'loglevel', 'INFO']",
      "['add', 'sshd', 'systemd']",
      "['set', 'sshd', 'maxretry', 3]",
      "['set', 'sshd', 'bantime', '1h']",
      "['set', 'sshd', 'addlogpath', '/var/log/auth.log', 'head']",
      "['set', 'sshd', 'addaction', 'iptables-multiport']",
      "['multi-set', 'sshd', 'action', 'iptables-multiport', [['actionban', 'x'], ['port', 'ssh,2222']]]",
      "['start', 'sshd']",
      `['config-error', "Jail 'nginx-http-auth' skipped, because of wrong configuration: Unable to read the filter 'nosuch'"]`,
    ].join('\n'),
  );
  assert.deepEqual(d.configErrors, { 'nginx-http-auth': "Unable to read the filter 'nosuch'" });
  const j = d.jails.sshd!;
  assert.equal(j.backend, 'systemd');
  assert.equal(j.options.maxretry, 3);
  assert.deepEqual(j.logpaths, ['/var/log/auth.log']);
  assert.deepEqual(j.actions, [{ name: 'iptables-multiport', port: 'ssh,2222' }]);
  assert.ok(j.started);
  const s = parseJailStatus(
    'Status for the jail: sshd\n|- Filter\n|  |- Currently failed:\t1\n|  |- Total failed:\t4\n|  `- File list:\t/var/log/a.log\n`- Actions\n   |- Currently banned:\t1\n   |- Total banned:\t2\n   `- Banned IP list:\t192.0.2.1\n',
  );
  assert.deepEqual(s, {
    currentlyFailed: 1,
    totalFailed: 4,
    currentlyBanned: 1,
    totalBanned: 2,
    fileList: ['/var/log/a.log'],
    journalMatches: null,
  });
  assert.equal(parseJailStatus("Sorry but the jail 'sshd' does not exist"), null);
});
