import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The name a live audit of this host records: /etc/hostname, else the kernel's host name. */
export function thisHostName(): string {
  try {
    const n = readFileSync('/etc/hostname', 'utf8').trim();
    if (n) return n;
  } catch {
    // fall through
  }
  return hostname();
}
