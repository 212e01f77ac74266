import type { Listener } from '../../facts/listeners.js';

/**
 * `ss -Htlnup` lines: [Netid] State Recv-Q Send-Q Local:Port Peer:Port [users:(("name",pid=N,fd=N),…)].
 * Local forms: 0.0.0.0:22, [::]:22, *:80, 127.0.0.53%lo:53, [fe80::1]%eth0:546.
 */
export function parseSsListen(
  text: string,
  command: string,
): { listeners: Listener[]; unparsed: { command: string; line: number; excerpt: string }[] } {
  const listeners: Listener[] = [];
  const unparsed: { command: string; line: number; excerpt: string }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const f = line.split(/\s+/);
    let proto: 'tcp' | 'udp' | null = null;
    if (f[0] === 'tcp' || f[0] === 'udp') proto = f.shift() as 'tcp' | 'udp';
    const state = f[0];
    if (!proto) proto = state === 'UNCONN' ? 'udp' : 'tcp';
    const local = f[3];
    const m = local ? /^(?:\[([^\]]+)\]|([^%\s]*?))(?:%(\S+))?:(\d+|\*)$/.exec(local) : null;
    if (!m || m[4] === '*' || (state !== 'LISTEN' && state !== 'UNCONN')) {
      unparsed.push({ command, line: i + 1, excerpt: line.slice(0, 200) });
      return;
    }
    const address = m[1] ?? m[2] ?? '';
    const iface = m[3] ?? null;
    const port = Number(m[4]);
    const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const families: Listener['families'] = address === '*' ? ['ipv4', 'ipv6'] : address.includes(':') && !v4mapped ? ['ipv6'] : ['ipv4'];
    const plain = v4mapped ? v4mapped[1]! : address;
    const loopback = iface === 'lo' || /^127\./.test(plain) || plain === '::1';
    const users = line.slice(line.indexOf('users:') >= 0 ? line.indexOf('users:') : line.length);
    const processes: Listener['processes'] = [];
    const re = /\("((?:[^"\\]|\\.)*)",pid=(\d+)/g;
    for (let p = re.exec(users); p; p = re.exec(users)) processes.push({ name: p[1]!, pid: Number(p[2]) });
    listeners.push({
      proto,
      address,
      port,
      iface,
      families,
      loopback,
      processes,
      source: { command, line: i + 1, excerpt: line.slice(0, 200) },
    });
  });
  return { listeners, unparsed };
}
