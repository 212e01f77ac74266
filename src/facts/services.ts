import type { Source } from './evidence.js';

export interface ServiceSocket {
  proto: 'tcp' | 'tcp6';
  address: string;
  port: number;
}

export interface ServiceProcess {
  pid: number;
  ppid: number | null;
  uid: number | null;
  /** From the target's /etc/passwd; null when the uid has no entry. */
  user: string | null;
  comm: string;
  /** argv, at most 200 characters (arguments never hold secrets for these services, but are cut). */
  command: string;
  /** How the process was matched: comm, argv[0], `python -m NAME`, gunicorn with uvicorn workers. */
  matchedBy: 'comm' | 'argv0' | 'python-module' | 'gunicorn-uvicorn';
  /** TCP sockets in LISTEN state this process holds (/proc/net/tcp{,6} inodes via /proc/PID/fd). */
  listening: ServiceSocket[];
  /** Why the sockets could not be read, else null. */
  socketsError: string | null;
  source: Source;
}

export interface ServiceFacts {
  /** Live host only; offline the collector reports the fact as failed. */
  services: {
    name: string;
    /** Where the name was configured (config.services or the built-in default). */
    source: Source;
    processes: ServiceProcess[];
  }[];
  /** The process list and socket tables read. */
  source: Source;
}
