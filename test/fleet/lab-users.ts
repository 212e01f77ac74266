// Unprivileged login accounts for the ssh lab (test/fleet/ssh-hosts.ts), with real sudo rules, seen
// only inside the lab's sshd mount namespaces: copies of /etc/passwd, /etc/group, /etc/shadow and
// /etc/sudoers.d with the test accounts added are bind-mounted over the real ones there (nsSetup), so
// this machine's account database and sudoers are never changed (other tests audit them live) and
// nothing is left behind but the temp dir, removed by cleanup(). Each sudoers file is checked with
// `visudo -cf` before it is used.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** nopasswd: `NAME ALL=(root) NOPASSWD: ALL`; password: `NAME ALL=(root) ALL` (sudo -n fails); none: no rule. */
export type SudoRule = 'nopasswd' | 'password' | 'none';

export interface LabUserSpec {
  name: string;
  sudo: SudoRule;
}

export interface LabUsers {
  dir: string;
  /** For SshLabOptions.nsSetup: the bind mounts. */
  nsSetup: string;
  /** For SshLabOptions.sshdExtra: per user a Match block (its authorized_keys, its TMPDIR). */
  sshdExtra: string[];
  uid(name: string): number;
  /** Authorizes the lab's client key for every test account (sshd reads the file at each login). */
  authorize(clientPub: string): void;
  cleanup(): void;
}

const NAME = /^[a-z][a-z0-9-]{0,30}$/;

function usedIds(path: string, field: number): Set<number> {
  return new Set(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => Number(l.split(':')[field]))
      .filter((n) => Number.isInteger(n)),
  );
}

function groupId(name: string): number {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`lab users: no group ${name} in /etc/group`);
  return Number(line.split(':')[2]);
}

export function makeLabUsers(specs: readonly LabUserSpec[]): LabUsers {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-labusers-'));
  try {
    // The accounts' homes are below it: traversable, not writable by them.
    chmodSync(dir, 0o755);
    const uids = usedIds('/etc/passwd', 2);
    const gids = usedIds('/etc/group', 2);
    const ids = new Map<string, number>();
    let next = 61_000;
    for (const s of specs) {
      if (!NAME.test(s.name)) throw new Error(`lab users: bad name ${s.name}`);
      while (uids.has(next) || gids.has(next)) next++;
      ids.set(s.name, next++);
    }
    const passwd: string[] = [];
    const group: string[] = [];
    const shadow: string[] = [];
    const sudoers: string[] = [];
    const extra: string[] = [];
    for (const s of specs) {
      const id = ids.get(s.name)!;
      const home = join(dir, 'home', s.name);
      mkdirSync(join(home, 'tmp'), { recursive: true });
      chownSync(home, id, id);
      chownSync(join(home, 'tmp'), id, id);
      chmodSync(home, 0o755);
      chmodSync(join(home, 'tmp'), 0o700);
      passwd.push(`${s.name}:x:${id}:${id}:rampart test account:${home}:/bin/sh`);
      group.push(`${s.name}:x:${id}:`);
      // '*': no password, yet not locked ('!'), which sshd without PAM would refuse.
      shadow.push(`${s.name}:*:20000:0:99999:7:::`);
      // TMPDIR through sudo (glibc drops it for a setuid program, so env_keep cannot): the payload's temp
      // dir stays in the account's home, not this machine's /tmp.
      if (s.sudo !== 'none') {
        writeFileSync(join(dir, `${s.name}.sudo-env`), `TMPDIR=${join(home, 'tmp')}\n`, { mode: 0o644 });
        sudoers.push(`Defaults:${s.name} env_file=${join(dir, `${s.name}.sudo-env`)}`);
      }
      if (s.sudo === 'nopasswd') sudoers.push(`${s.name} ALL=(root) NOPASSWD: ALL`);
      if (s.sudo === 'password') sudoers.push(`${s.name} ALL=(root) ALL`);
      const keys = join(dir, `${s.name}.authorized_keys`);
      writeFileSync(keys, '', { mode: 0o600 });
      chownSync(keys, id, id);
      extra.push(`Match User ${s.name}`, `  AuthorizedKeysFile ${keys}`, `  SetEnv TMPDIR=${join(home, 'tmp')}`);
    }
    const append = (from: string, lines: string[]): string => {
      const to = join(dir, from.slice('/etc/'.length));
      const text = readFileSync(from, 'utf8');
      writeFileSync(to, `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${lines.join('\n')}\n`);
      return to;
    };
    const p = append('/etc/passwd', passwd);
    chmodSync(p, 0o644);
    const g = append('/etc/group', group);
    chmodSync(g, 0o644);
    const sh = append('/etc/shadow', shadow);
    chmodSync(sh, 0o640);
    chownSync(sh, 0, groupId('shadow'));
    const sd = join(dir, 'sudoers.d');
    mkdirSync(sd, { mode: 0o755 });
    for (const f of readdirSync('/etc/sudoers.d')) copyFileSync(join('/etc/sudoers.d', f), join(sd, f));
    const rule = join(sd, '90-rampart-test');
    writeFileSync(rule, `${sudoers.join('\n')}\n`, { mode: 0o440 });
    const v = spawnSync('visudo', ['-cf', rule], { encoding: 'utf8' });
    if (v.status !== 0) throw new Error(`lab users: visudo -cf ${rule}: ${v.stdout}${v.stderr}`);
    const bind = (src: string, dst: string) => `mount --bind ${src} ${dst}`;
    const nsSetup = [bind(p, '/etc/passwd'), bind(g, '/etc/group'), bind(sh, '/etc/shadow'), bind(sd, '/etc/sudoers.d')].join(' && ');
    return {
      dir,
      nsSetup,
      sshdExtra: extra,
      uid(name) {
        const id = ids.get(name);
        if (id === undefined) throw new Error(`lab users: no ${name}`);
        return id;
      },
      authorize(clientPub) {
        const key = readFileSync(clientPub, 'utf8');
        for (const s of specs) writeFileSync(join(dir, `${s.name}.authorized_keys`), key);
      },
      cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
