/**
 * A jail's `port` as the ban actions use it (iptables multiport --dports, nftables sets): a comma
 * list of numbers, service names (resolved through the target's /etc/services) and ranges "a:b"
 * (also "a-b" for nftables); "0:65535" and "all" cover every port.
 */
export interface PortSpec {
  all: boolean;
  ranges: [number, number][];
  /** Names /etc/services does not know (a ban action would fail on them). */
  unresolved: string[];
}

/** /etc/services → tcp port by name and alias. */
export function parseServices(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [name, portProto, ...aliases] = line.split(/\s+/);
    const m = /^(\d+)\/tcp$/.exec(portProto ?? '');
    if (!name || !m) continue;
    for (const n of [name, ...aliases]) if (!(n in out)) out[n] = Number(m[1]);
  }
  return out;
}

function resolve(token: string, services: Record<string, number>): number | null {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n <= 65535 ? n : null;
  }
  return Object.hasOwn(services, token) ? services[token]! : null;
}

export function parsePortSpec(value: string, services: Record<string, number>): PortSpec {
  const spec: PortSpec = { all: false, ranges: [], unresolved: [] };
  for (const tok of value
    .split(/[,\s]+/)
    .map((t) => t.trim())
    .filter(Boolean)) {
    if (tok.toLowerCase() === 'all' || tok.toLowerCase() === 'any') {
      spec.all = true;
      continue;
    }
    const range = /^([^:-]+)[:-]([^:-]+)$/.exec(tok);
    if (range) {
      const a = resolve(range[1]!, services);
      const b = resolve(range[2]!, services);
      if (a === null || b === null || a > b) spec.unresolved.push(tok);
      else spec.ranges.push([a, b]);
      continue;
    }
    const p = resolve(tok, services);
    if (p === null) spec.unresolved.push(tok);
    else spec.ranges.push([p, p]);
  }
  if (spec.ranges.some(([a, b]) => a <= 1 && b >= 65535)) spec.all = true;
  return spec;
}

export function portCovered(spec: PortSpec, port: number): boolean {
  return spec.all || spec.ranges.some(([a, b]) => a <= port && port <= b);
}
