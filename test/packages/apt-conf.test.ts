import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isAptConfPart,
  matchOriginPattern,
  mergeAptConf,
  parseAptConf,
  allowedOriginToPattern,
  substituteUu,
} from '../../src/collect/parse/apt-conf.js';
import { requireCommands } from '../helpers.js';
import { FIXTURES } from './fixture-root.js';

const value = (text: string, key: string): string | undefined => mergeAptConf([parseAptConf(text, '/x')]).scalars[key.toLowerCase()]?.value;

test('apt.conf syntax: scopes, blocks, comments, lists, #clear', () => {
  const cases: { name: string; text: string; key: string; want: string | undefined }[] = [
    { name: 'plain', text: 'APT::Periodic::Unattended-Upgrade "1";', key: 'APT::Periodic::Unattended-Upgrade', want: '1' },
    { name: 'nested blocks', text: 'APT { Periodic { Unattended-Upgrade "1"; }; };', key: 'APT::Periodic::Unattended-Upgrade', want: '1' },
    { name: 'scope block', text: 'APT::Periodic {\n Unattended-Upgrade "1";\n}', key: 'APT::Periodic::Unattended-Upgrade', want: '1' },
    { name: 'case-insensitive keys', text: 'apt::periodic::unattended-upgrade "1";', key: 'APT::Periodic::Unattended-Upgrade', want: '1' },
    { name: 'later wins', text: 'A::B "1";\nA::B "0";', key: 'A::B', want: '0' },
    { name: '// comment', text: '// A::B "1";', key: 'A::B', want: undefined },
    { name: '# comment', text: '# A::B "1";', key: 'A::B', want: undefined },
    { name: 'trailing comment', text: 'A::B "1"; // A::B "0";', key: 'A::B', want: '1' },
    { name: 'block comment', text: '/* A::B "1";\n A::B "2"; */ A::C "3";', key: 'A::B', want: undefined },
    { name: '// inside quotes is a value', text: 'A::B "http://x/y";', key: 'A::B', want: 'http://x/y' },
    { name: 'unquoted value', text: 'A::B 1;', key: 'A::B', want: '1' },
    { name: '#clear drops', text: 'A::B "1";\n#clear A;', key: 'A::B', want: undefined },
  ];
  for (const c of cases) assert.equal(value(c.text, c.key), c.want, c.name);
  const m = mergeAptConf([parseAptConf('U::P { "a"; "b"; };\nU::P:: "c";', '/x')]);
  assert.deepEqual(
    m.lists['u::p']?.map((s) => s.value),
    ['a', 'b', 'c'],
  );
  const cleared = mergeAptConf([parseAptConf('U::P { "a"; };', '/1'), parseAptConf('#clear U::P;\nU::P:: "z";', '/2')]);
  assert.deepEqual(
    cleared.lists['u::p']?.map((s) => `${s.path}:${s.line}=${s.value}`),
    ['/2:2=z'],
  );
});

test('apt.conf errors are values with line numbers, never throws', () => {
  const cases: { text: string; line: number; re: RegExp }[] = [
    { text: 'A::B "1"', line: 1, re: /end of file/ },
    { text: 'A::B "1" junk;', line: 1, re: /extra junk/ },
    { text: 'A {\n B "1";\n', line: 3, re: /not closed/ },
    { text: '}\n', line: 1, re: /unmatched/ },
    { text: 'A::B "1;\n', line: 1, re: /quote/ },
  ];
  for (const c of cases) {
    const p = parseAptConf(c.text, '/x');
    assert.equal(p.errors.length > 0, true, c.text);
    assert.match(p.errors[0]!.message, c.re);
    assert.equal(p.errors[0]!.line, c.line, c.text);
  }
  const bin = parseAptConf('\u0000\u0001{{{"\n', '/bin');
  assert.ok(bin.errors.length > 0);
});

test('apt.conf.d file names apt reads', () => {
  for (const n of ['20auto-upgrades', '50unattended-upgrades', 'x.conf', 'docker-clean']) assert.equal(isAptConfPart(n), true, n);
  for (const n of ['20auto-upgrades.dpkg-old', '99x.disabled', 'a b', 'x.ucf-dist']) assert.equal(isAptConfPart(n), false, n);
});

test('unattended-upgrades origin matching (match_whitelist_string)', () => {
  const sec = {
    origin: 'Debian',
    label: 'Debian-Security',
    suite: 'oldstable-security',
    codename: 'bookworm-security',
    component: 'main',
    site: 'deb.debian.org',
  };
  const m = { distroId: 'Debian', distroCodename: 'bookworm' };
  assert.equal(matchOriginPattern(substituteUu('origin=Debian,codename=${distro_codename}-security,label=Debian-Security', m), sec), true);
  assert.equal(matchOriginPattern(substituteUu('origin=Debian,codename=${distro_codename},label=Debian-Security', m), sec), false);
  assert.equal(matchOriginPattern('o=Debian,a=*-security', sec), true);
  assert.equal(matchOriginPattern('', sec), false);
  assert.deepEqual(matchOriginPattern('x=1', sec), { error: 'unknown matcher "x"' });
  // Allowed-Origins matches the archive (suite) only: "Debian:bookworm-security" misses "oldstable-security".
  assert.equal(matchOriginPattern(substituteUu(allowedOriginToPattern('${distro_id}:${distro_codename}-security')!, m), sec), false);
  assert.equal(matchOriginPattern(allowedOriginToPattern('Debian:oldstable-security')!, sec), true);
});

/** Reads a fixture's apt.conf.d the way the collector does (file order, then apt.conf). */
function fixtureParses(dir: string) {
  const d = join(dir, 'etc/apt/apt.conf.d');
  const names = readdirSync(d).filter(isAptConfPart).sort();
  const files = names.map((n) => join(d, n));
  if (existsSync(join(dir, 'etc/apt/apt.conf'))) files.push(join(dir, 'etc/apt/apt.conf'));
  return files.map((f) => parseAptConf(readFileSync(f, 'utf8'), f));
}

test('every apt.conf fixture merges exactly as apt-config dump does (real apt)', (t) => {
  if (!requireCommands(t, 'apt-config')) return;
  const keys = ['APT::Periodic::Update-Package-Lists', 'APT::Periodic::Unattended-Upgrade'];
  const lists = ['Unattended-Upgrade::Origins-Pattern', 'Unattended-Upgrade::Allowed-Origins'];
  const scenarios = readdirSync(FIXTURES).filter((s) => existsSync(join(FIXTURES, s, 'etc/apt/apt.conf.d')));
  assert.ok(scenarios.length >= 6);
  for (const s of scenarios) {
    const root = mkdtempSync(join(tmpdir(), 'rampart-aptconf-'));
    try {
      cpSync(join(FIXTURES, s), root, { recursive: true });
      writeFileSync(join(root, 'apt-test.conf'), `Dir "${root}/";\n`);
      const r = spawnSync('apt-config', ['dump'], { env: { ...process.env, APT_CONFIG: join(root, 'apt-test.conf') }, encoding: 'utf8' });
      const parses = fixtureParses(root);
      const errors = parses.flatMap((p) => p.errors);
      assert.equal(
        errors.length > 0,
        r.status !== 0,
        `${s}: apt-config exit ${r.status} (${r.stderr.trim()}), ours ${JSON.stringify(errors)}`,
      );
      if (r.status !== 0) continue;
      const dump = r.stdout
        .split('\n')
        .map((l) => /^(\S+) "(.*)";$/.exec(l))
        .filter((m) => m !== null);
      const merged = mergeAptConf(parses);
      for (const k of keys) {
        const apt = dump.find((m) => m[1]!.toLowerCase() === k.toLowerCase())?.[2];
        assert.equal(merged.scalars[k.toLowerCase()]?.value, apt, `${s}: ${k}`);
      }
      for (const k of lists) {
        const apt = dump.filter((m) => m[1]!.toLowerCase() === `${k.toLowerCase()}::`).map((m) => m[2]);
        assert.deepEqual(
          (merged.lists[k.toLowerCase()] ?? []).map((x) => x.value),
          apt,
          `${s}: ${k}`,
        );
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
});
