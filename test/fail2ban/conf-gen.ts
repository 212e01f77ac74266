// A seeded generator of offline roots for the Fail2Ban comparison (issue 9 §6): Debian 12's real
// /etc/fail2ban (test/fixtures/fail2ban/debian12-base, fail2ban 1.0.2-2) with jail.local,
// jail.d/*.conf and jail.d/*.local laid over it — enabled and disabled jails, .local over .conf,
// [DEFAULT] against jail overrides, %(var)s interpolation (broken ones too), inline comments, times in
// every spelling, backends, log paths present, missing and globbed, missing filters and actions,
// ports, a non-UTF-8 file, a masked or disabled unit. Shared by test/fail2ban/agree.test.ts and
// bench/agree-f2b.ts; the truth is the real fail2ban-client -d and a real start (f2b-agree.ts).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rng } from '../rng.js';
import { FIXTURES } from './fixture.js';

export interface GeneratedRoot {
  seed: number;
  /** Short tags of what the case exercises (disagreement classes are keyed on them). */
  tags: string[];
  /** Files relative to the root, laid over debian12-base. */
  files: Record<string, string | Buffer>;
  /** fail2ban.service masked (a /dev/null symlink in /etc/systemd/system). */
  masked: boolean;
  /** The multi-user.target.wants link removed. */
  disabledAtBoot: boolean;
  /** python3-systemd absent from the root (the truth hides it from fail2ban too). */
  noPythonSystemd: boolean;
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: R, p: number) => r() < p;

const SSHD_LINES =
  'Dec  3 08:00:01 web-1 sshd[2001]: Invalid user admin from 203.0.113.5 port 41000\nDec  3 08:00:03 web-1 sshd[2001]: Failed password for invalid user admin from 203.0.113.5 port 41000 ssh2\n';
const OTHER_LINES = 'Dec  3 08:00:01 web-1 CRON[900]: pam_unix(cron:session): session opened for user root\n';

const TIMES = [
  '600',
  '10m',
  '1h',
  '3600',
  '2h',
  '1d',
  '-1',
  '1h 30m',
  '2 hours',
  '1hour',
  '30m',
  '5m',
  '1w',
  '90min',
  '1d12h',
  '3600s',
  '0.5h',
];
const BAD_TIMES = ['1 fortnight', '1h # one hour', 'forever', '10 m m'];
const MAXRETRY = ['3', '2', '5', '1', '3', '03', ' 3', '+3', '10'];
const BAD_MAXRETRY = ['3 # three', 'three', '3.0', '3 3'];
const PORTS = ['ssh', '22', '2222', 'ssh,2222', '0:65535', '22,2222', 'http,https', '1000:3000', 'sshx'];
const BACKENDS = ['auto', 'polling', 'systemd', 'auto', 'polling', 'systemd'];

interface Section {
  name: string;
  lines: string[];
}

/** Options a jail override may carry; each picks one spelling. */
function jailOptions(r: R, tags: string[], where: string, p: number): string[] {
  const out: string[] = [];
  const add = (k: string, v: string, tag?: string) => {
    out.push(`${k} = ${v}`);
    if (tag) tags.push(`${tag}@${where}`);
  };
  if (chance(r, p)) {
    if (chance(r, 0.12)) add('maxretry', pick(r, BAD_MAXRETRY), 'bad-maxretry');
    else add('maxretry', pick(r, MAXRETRY));
  }
  if (chance(r, p)) {
    const x = r();
    if (x < 0.1) add('bantime', pick(r, BAD_TIMES), 'bad-time');
    else if (x < 0.2) add('bantime', `${pick(r, TIMES)} ; inline ; comment`, 'semicolon-comment');
    else add('bantime', pick(r, TIMES));
  }
  if (chance(r, p)) {
    if (chance(r, 0.08)) add('findtime', pick(r, BAD_TIMES), 'bad-time');
    else add('findtime', pick(r, TIMES));
  }
  if (chance(r, p * 0.6)) add('port', pick(r, PORTS));
  if (chance(r, p * 0.5)) {
    if (chance(r, 0.1)) add('backend', pick(r, ['bogus', 'systemd[journalflags=1]', 'pyinotify']), 'odd-backend');
    else add('backend', pick(r, BACKENDS), 'backend');
  }
  return out;
}

function render(sections: Section[]): string {
  return sections.map((s) => `[${s.name}]\n${s.lines.join('\n')}\n`).join('\n');
}

export function generateRoot(seed: number): GeneratedRoot {
  const r = rng(seed);
  const tags: string[] = [];
  const files: Record<string, string | Buffer> = {};

  // [DEFAULT] of jail.local: settings every jail inherits unless it overrides them.
  const local: Section[] = [];
  const def: string[] = [];
  if (chance(r, 0.5)) {
    def.push(...jailOptions(r, tags, 'DEFAULT', 0.45));
    if (chance(r, 0.2)) {
      def.push(`mr = ${pick(r, MAXRETRY)}`);
      tags.push('interp-default-var');
    }
    if (chance(r, 0.2))
      def.push(`banaction = ${pick(r, ['iptables-multiport', 'nftables-multiport', 'iptables-allports', 'nosuch-action'])}`);
  }
  if (def.length) local.push({ name: 'DEFAULT', lines: def });

  // [sshd] of jail.local.
  const sshd: string[] = [];
  const enabled = r();
  if (enabled < 0.75) sshd.push(`enabled = ${pick(r, ['true', 'true', 'yes', '1', 'on', 'True'])}`);
  else if (enabled < 0.85) {
    sshd.push(`enabled = ${pick(r, ['false', 'no', '0'])}`);
    tags.push('sshd-disabled');
  } else if (enabled < 0.9) {
    sshd.push('enabled = true # on');
    tags.push('enabled-hash-comment');
  }
  sshd.push(...jailOptions(r, tags, 'sshd', 0.5));
  if (def.some((l) => l.startsWith('mr ')) && chance(r, 0.7)) sshd.push('maxretry = %(mr)s');
  const interp = r();
  if (interp < 0.06) {
    sshd.push(`${pick(r, ['maxretry', 'bantime', 'port', 'logpath'])} = %(nope)s`);
    tags.push('interp-missing@sshd');
  } else if (interp < 0.1) {
    sshd.push('port = %(known/port)s,2222');
    tags.push('interp-known');
  } else if (interp < 0.13) {
    sshd.push('findtime = 10%');
    tags.push('interp-bare-percent@sshd');
  }
  const logp = r();
  if (logp < 0.15) {
    sshd.push('logpath = /var/log/auth*.log');
    tags.push('logpath-glob');
  } else if (logp < 0.25) {
    sshd.push('logpath = /var/log/sshd-nope.log');
    tags.push('logpath-missing');
  } else if (logp < 0.32) {
    sshd.push('logpath = /var/log/auth.log\n          /var/log/secure');
    tags.push('logpath-two');
  } else if (logp < 0.36) {
    sshd.push('logpath = /var/log/auth.log tail');
    tags.push('logpath-tail');
  }
  const flt = r();
  if (flt < 0.06) {
    sshd.push('filter = sshd-nosuch');
    tags.push('filter-missing@sshd');
  } else if (flt < 0.12) {
    sshd.push(`filter = sshd[mode=${pick(r, ['aggressive', 'ddos', 'extra'])}]`);
    tags.push('filter-mode');
  } else if (flt < 0.14) {
    sshd.push('filter = sshd[mode=aggressive');
    tags.push('filter-unclosed@sshd');
  }
  const act = r();
  if (act < 0.08) {
    sshd.push(`action = ${pick(r, ['%(action_mw)s', '%(banaction_allports)s', 'iptables-allports[name=ssh]', 'nftables[type=allports]'])}`);
    tags.push('action');
  } else if (act < 0.12) {
    sshd.push('action = nosuch-action[port=ssh]');
    tags.push('action-missing@sshd');
  } else if (act < 0.16) {
    sshd.push('banaction = iptables-multiport[port="2222"]');
    tags.push('banaction-params');
  }
  if (sshd.length) local.push({ name: 'sshd', lines: sshd });

  // Other jails: their log files and errors decide the whole start.
  for (const [jail, log] of [
    ['nginx-http-auth', 'var/log/nginx/error.log'],
    ['apache-auth', 'var/log/apache2/site_error.log'],
    ['recidive', 'var/log/fail2ban.log'],
  ] as const) {
    const x = r();
    if (x < 0.15) {
      const lines = ['enabled = true'];
      if (chance(r, 0.5)) files[log] = OTHER_LINES;
      else tags.push(`other-no-log:${jail}`);
      if (chance(r, 0.15)) {
        lines.push('filter = nosuch-filter');
        tags.push(`filter-missing:${jail}`);
      }
      if (chance(r, 0.1)) {
        lines.push(`maxretry = ${pick(r, BAD_MAXRETRY)}`);
        tags.push(`bad-maxretry:${jail}`);
      }
      local.push({ name: jail, lines });
      tags.push(`other-enabled:${jail}`);
    } else if (x < 0.2) {
      local.push({ name: jail, lines: [`${pick(r, ['maxretry', 'filter', 'backend'])} = %(nope)s`] });
      tags.push(`interp-missing-disabled:${jail}`);
    }
  }
  if (chance(r, 0.04)) {
    // [DEFAULT] enabled = true turns on every jail of jail.conf.
    const d = local.find((x) => x.name === 'DEFAULT');
    if (d) d.lines.push('enabled = true');
    else local.unshift({ name: 'DEFAULT', lines: ['enabled = true'] });
    tags.push('default-enabled');
  }
  if (chance(r, 0.05)) {
    local.push({ name: pick(r, ['SSHD', 'Default', 'sshd ']), lines: ['enabled = true', 'maxretry = 1'] });
    tags.push('section-name-case');
  }
  if (chance(r, 0.06)) {
    const x = local.find((y) => y.name === 'sshd');
    if (x) {
      x.lines.push(
        pick(r, [
          'usedns = no',
          'usedns = bogus',
          'logencoding = utf-8',
          'logencoding = bogus-enc',
          'maxmatches = x',
          'ignoreip = 127.0.0.1/8 ::1',
          'maxretry =',
          'bantime =',
        ]),
      );
      tags.push('extra-option@sshd');
    }
  }
  if (local.length) {
    let text = render(local);
    const syn = r();
    if (syn < 0.08) {
      // Option names are case-insensitive, ':' is a delimiter too.
      text = text.replace(/^maxretry = /m, 'MaxRetry: ').replace(/^bantime = /m, 'BanTime=');
      tags.push('option-case-colon');
    } else if (syn < 0.12) {
      text = text.replace(/\n/g, '\r\n');
      tags.push('crlf');
    } else if (syn < 0.14) {
      text = `\ufeff${text}`;
      tags.push('bom');
    } else if (syn < 0.17) {
      text = text.replace(/^(\[sshd\]\n)/m, '$1 maxretry = 2\n');
      tags.push('indented-first-option');
    } else if (syn < 0.19) {
      text += 'this is not an option\n';
      tags.push('junk-line');
    } else if (syn < 0.21) {
      text += '[sshd]\nmaxretry = 2\n';
      tags.push('duplicate-section');
    } else if (syn < 0.25) {
      text = text.replace(/^(\w+) = (.*)$/m, '$1 = $2\n\t# a comment inside\n');
      tags.push('comment-after-option');
    }
    files['etc/fail2ban/jail.local'] = text;
  }

  // jail.d: a .conf (read before jail.local) and a .local (read after it).
  if (chance(r, 0.35)) {
    const opts = jailOptions(r, tags, 'jail.d.conf', 0.5);
    if (chance(r, 0.3)) opts.push(`enabled = ${pick(r, ['true', 'false'])}`);
    if (opts.length) files['etc/fail2ban/jail.d/50-site.conf'] = render([{ name: 'sshd', lines: opts }]);
  }
  if (chance(r, 0.35)) {
    const opts = jailOptions(r, tags, 'jail.d.local', 0.5);
    if (chance(r, 0.2)) {
      opts.push(`enabled = ${pick(r, ['true', 'false'])}`);
      tags.push('enabled-in-jail.d.local');
    }
    const secs: Section[] = [];
    if (chance(r, 0.2)) {
      secs.push({ name: 'DEFAULT', lines: jailOptions(r, tags, 'jail.d.local-DEFAULT', 0.6) });
    }
    if (opts.length) secs.push({ name: 'sshd', lines: opts });
    if (secs.length) files['etc/fail2ban/jail.d/90-override.local'] = render(secs);
  }
  if (chance(r, 0.04)) {
    files['etc/fail2ban/jail.d/70-latin1.local'] = Buffer.from('[sshd]\n# r\xe9glages\nmaxretry = 9\n', 'latin1');
    tags.push('non-utf8');
  }
  if (chance(r, 0.03)) {
    files['etc/fail2ban/jail.d/80-dup.local'] = '[sshd]\nmaxretry = 2\nmaxretry = 4\n';
    tags.push('duplicate-option');
  }
  if (chance(r, 0.05)) {
    files['etc/fail2ban/filter.d/sshd.local'] = '[Definition]\nmode = aggressive\n';
    tags.push('filter-local');
  }

  // Logs and journal.
  const authlog = r();
  if (authlog < 0.55) files['var/log/auth.log'] = SSHD_LINES;
  else if (authlog < 0.7) {
    files['var/log/auth.log'] = '';
    tags.push('authlog-empty');
  } else if (authlog < 0.75) {
    files['var/log/auth.log'] = OTHER_LINES;
    tags.push('authlog-no-sshd');
  } else tags.push('authlog-absent');
  if (chance(r, 0.15)) files['var/log/auth-old.log'] = SSHD_LINES;
  if (chance(r, 0.2)) files['var/log/secure'] = SSHD_LINES;
  files['lib/systemd/system/systemd-journald.service'] = '[Unit]\nDescription=Journal Service\n';
  const noPythonSystemd = chance(r, 0.15);
  if (!noPythonSystemd)
    files['usr/lib/python3/dist-packages/systemd/journal.py'] = '# python3-systemd (placeholder: only its presence matters offline)\n';
  else tags.push('no-python3-systemd');

  const masked = chance(r, 0.05);
  const disabledAtBoot = !masked && chance(r, 0.05);
  if (masked) tags.push('masked');
  if (disabledAtBoot) tags.push('not-enabled-at-boot');
  return { seed, tags, files, masked, disabledAtBoot, noPythonSystemd };
}

let template: string | null = null;

/** One copy of debian12-base per process, in the temp file system, removed at exit. */
function baseTemplate(): string {
  if (template) return template;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-f2b-base-'));
  cpSync(join(FIXTURES, 'debian12-base'), dir, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('SOURCE.md') });
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (template = dir);
}

/**
 * Writes the root into a new temp dir (the caller removes it): the base files are hard links to one
 * template (cp -al, a few ms instead of a copy per case); every file a case writes is unlinked first,
 * so no case changes the template.
 */
export function writeRoot(g: GeneratedRoot): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-f2b-agree-'));
  execFileSync('cp', ['-al', `${baseTemplate()}/.`, root]);
  mkdirSync(join(root, 'var/log'), { recursive: true });
  for (const [rel, content] of Object.entries(g.files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    rmSync(join(root, rel), { force: true });
    writeFileSync(join(root, rel), content);
  }
  if (g.masked) symlinkSync('/dev/null', join(root, 'etc/systemd/system/fail2ban.service'));
  if (g.disabledAtBoot) rmSync(join(root, 'etc/systemd/system/multi-user.target.wants/fail2ban.service'));
  return root;
}
