import type { Source } from './evidence.js';

export interface Listener {
  proto: 'tcp' | 'udp';
  /** The local address as ss prints it without brackets: 0.0.0.0, ::, *, 127.0.0.1, fe80::1. */
  address: string;
  port: number;
  /** Bound to one interface (`%lo`), or null. */
  iface: string | null;
  /** Which address families reach the socket: * and 0.0.0.0 / :: and specific addresses. */
  families: ('ipv4' | 'ipv6')[];
  /** Loopback-only (127.0.0.0/8, ::1, or bound to lo). */
  loopback: boolean;
  processes: { name: string; pid: number }[];
  source: Source;
}

export interface ListenerFacts {
  listeners: Listener[];
  /** Lines of ss output that could not be read. */
  unparsed: Source[];
}
