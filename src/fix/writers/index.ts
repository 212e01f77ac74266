// The registry of service writers (issue 12): service → DirectiveWriter. A set-directive step for a
// service with no writer is reported as `no-writer` in the plan, never guessed.
import type { ConfigService } from '../../checks/recipe.js';
import { writer as apt } from './apt.js';
import { writer as auditd } from './auditd.js';
import { writer as compose } from './compose.js';
import { writer as dockerDaemon } from './docker-daemon.js';
import { writer as fail2ban } from './fail2ban.js';
import { writer as journald } from './journald.js';
import { writer as loginDefs } from './login-defs.js';
import { writer as logrotate } from './logrotate.js';
import { writer as pgHba } from './pg-hba.js';
import { writer as postgresql } from './postgresql.js';
import { writer as pwquality } from './pwquality.js';
import { writer as redis } from './redis.js';
import { sshdWriter } from './sshd.js';
import type { DirectiveWriter } from './types.js';

// No writer yet (their recipes are planned as `no-writer`): sudoers, nginx (no requirement of the
// guide has a safe remedy there: sudo's are a package and a locked root password, nginx's a certificate).
export const WRITERS: Partial<Record<ConfigService, DirectiveWriter>> = {
  sshd: sshdWriter,
  fail2ban,
  redis,
  postgresql,
  pg_hba: pgHba,
  journald,
  apt,
  'login.defs': loginDefs,
  pwquality,
  'docker-daemon': dockerDaemon,
  compose,
  auditd,
  logrotate,
};

export function writerFor(service: ConfigService): DirectiveWriter | null {
  return WRITERS[service] ?? null;
}
