// ssh.config-valid == the real sshd 9.2 `sshd -t`, on seeded mutations of Debian's sshd_config
// (test/sshd/valid-gen.ts; more cases: npx tsx bench/agree-sshd-valid.ts --cases 2000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSshdValid, DEBIAN_SSHD_CONFIG, makeHostKey, rampartValid, realSshdT, writeSshdCase } from './valid-gen.js';
import { isRoot, requireCommands } from '../helpers.js';

function usable(t: Parameters<typeof requireCommands>[0]): boolean {
  if (!requireCommands(t, 'sshd', 'ssh-keygen', 'unshare')) return false;
  if (isRoot()) return true;
  if (process.env.CI === 'true') throw new Error('CI: sshd -t in a private mount namespace needs root');
  t.skip('sshd -t in a private mount namespace needs root');
  return false;
}

test('generated sshd_config files: the file model refuses exactly what sshd -t refuses (300 cases)', async (t) => {
  if (!usable(t)) return;
  const results = await compareSshdValid(7000, 300);
  const refused = results.filter((r) => !r.sshd.valid).length;
  // Both kinds are there: the generator is not trivially valid or invalid.
  assert.ok(refused > 60 && refused < 240, `sshd refused ${refused} of 300`);
  const bad = results
    .filter((r) => r.sshd.valid !== r.rampart.valid)
    .map(
      (r) =>
        `seed ${r.c.seed} ${r.c.label}: sshd ${r.sshd.valid ? 'accepts' : `refuses (${r.sshd.output.split('\n').at(-1)})`}, rampart ${r.rampart.valid ? 'accepts' : `refuses (${r.rampart.reason})`}`,
    );
  assert.deepEqual(bad, []);
});

// Each class sshd 9.2 was seen to decide, on Debian's file: [label, line(s) added at the end, sshd -t accepts].
const DEBIAN = readFileSync(DEBIAN_SSHD_CONFIG, 'utf8');
const CASES: [string, string, boolean][] = [
  ['byte-order mark at the start', '\uFEFF', false],
  ['NO-BREAK SPACE as the separator', 'PermitRootLogin\u00A0no\n', false],
  ['NUL in a comment joins the next line to it', '# x\u0000\nFooBar yes\n', true],
  ['NUL after a value joins the next line to it', 'PermitRootLogin no\u0000\nX11Forwarding no\n', false],
  ['Ciphers +unknown', 'Ciphers +aes512-ctr\n', false],
  ['Ciphers uppercase', 'Ciphers AES128-CTR\n', false],
  ['Ciphers wildcard', 'Ciphers aes*\n', false],
  ['Ciphers -anything', 'Ciphers -bogus\n', true],
  ['Ciphers starting with an empty element', 'Ciphers ,aes128-ctr\n', true],
  ['HostKeyAlgorithms short name that matches nothing', 'HostKeyAlgorithms ed25519\n', false],
  ['extra argument after a one-value keyword', 'MaxAuthTries 3 4\n', false],
  ['AuthenticationMethods empty element', 'AuthenticationMethods publickey,\n', false],
  ['AuthenticationMethods PublicKey', 'AuthenticationMethods PublicKey\n', false],
  ['AuthenticationMethods any mixed', 'AuthenticationMethods any publickey\n', false],
  [
    'AuthenticationMethods a disabled method (Debian: KbdInteractiveAuthentication no)',
    'AuthenticationMethods keyboard-interactive\n',
    false,
  ],
  ['AuthenticationMethods password with PasswordAuthentication no', 'PasswordAuthentication no\nAuthenticationMethods password\n', false],
  ['AuthenticationMethods one satisfiable list is enough', 'PasswordAuthentication no\nAuthenticationMethods password publickey\n', true],
  [
    'AuthenticationMethods unsatisfiable inside Match only',
    'Match User alice\n\tAuthenticationMethods password\n\tPasswordAuthentication no\n',
    true,
  ],
  ['Match Address mask too long', 'Match Address 10.0.0.0/33\n\tX11Forwarding no\n', false],
  ['Match Address host bits set', 'Match Address 10.0.0.1/8\n\tX11Forwarding no\n', false],
  ['Match Address wildcard with a mask', 'Match Address 10.0.0.*/8\n\tX11Forwarding no\n', true],
  ['Match Address empty mask', 'Match Address 10.0.0.0/\n\tX11Forwarding no\n', true],
  [
    'AuthenticationMethods any after a global list, in a Match block',
    'AuthenticationMethods publickey\nMatch User alice\n\tAuthenticationMethods any\n',
    false,
  ],
  [
    'AuthenticationMethods any in two Match blocks',
    'Match User alice\n\tAuthenticationMethods any\nMatch User bob\n\tAuthenticationMethods any\n',
    true,
  ],
  ['Match LocalPort not a port', 'Match LocalPort x\n\tX11Forwarding no\n', false],
  ['AllowUsers user@ host bits set', 'AllowUsers alice@10.0.0.1/8\n', false],
  ['AllowUsers user@ mask too long', 'AllowUsers alice@10.0.0.0/33\n', false],
  ['AllowUsers user@ nothing', 'AllowUsers alice@\n', false],
  ['AllowUsers user@network', 'AllowUsers alice@10.0.0.0/8\n', true],
  ['KeepAlive (TCPKeepAlive) bad value', 'KeepAlive maybe\n', false],
  ['quoted keyword', '"PasswordAuthentication" no\n', true],
  ['single quotes do not quote a keyword', "'PasswordAuthentication' no\n", false],
  ['quoted keyword then =', '"UseDNS"=no\n', false],
  ['RSAAuthentication: deprecated, a warning', 'RSAAuthentication yes\n', true],
  ['a Match-only keyword under Match all', 'Match all\n\tPort 2222\n', true],
  ['a Match-only keyword under Match User', 'Match User alice\n\tPort 2222\n', false],
  ['Port by service name', 'Port ssh\n', true],
  ['Port 0', 'Port 0\n', false],
];

test("each class of sshd -t verdicts, on Debian's sshd_config: the file model agrees", async (t) => {
  if (!usable(t)) return;
  const work = mkdtempSync(join(tmpdir(), 'rampart-sshd-valid-classes-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const key = makeHostKey(work);
  const paths = CASES.map(([, add], i) =>
    writeSshdCase(work, { seed: i, label: '', files: { sshd_config: add === '\uFEFF' ? `\uFEFF${DEBIAN}` : `${DEBIAN}${add}` }, dirs: [] }),
  );
  const truth = realSshdT(paths, key);
  for (const [i, [name, , accepts]] of CASES.entries()) {
    assert.equal(
      truth[i]!.code === 0,
      accepts,
      `${name}: sshd -t ${truth[i]!.code === 0 ? 'accepts' : `refuses: ${truth[i]!.output}`} (the table is stale)`,
    );
    const ours = await rampartValid(paths[i]!);
    assert.equal(ours.valid, accepts, `${name}: rampart ${ours.valid ? 'accepts' : `refuses: ${ours.reason}`}`);
  }
});
