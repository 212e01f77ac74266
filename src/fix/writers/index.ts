// The registry of service writers (issue 12): service → DirectiveWriter. sshd is here; the writers of
// the other services live in src/fix/writers/<service>.ts (the "remedies" work) and are added to this
// table at merge as they land. A set-directive step for a service with no writer is reported as
// `no-writer` in the plan, never guessed.
import type { ConfigService } from '../../checks/recipe.js';
import { sshdWriter } from './sshd.js';
import type { DirectiveWriter } from './types.js';

// Services of recipe.ts CONFIG_SERVICES; to be filled at merge:
// fail2ban, postgresql, pg_hba, redis, journald, logrotate, auditd, apt, login.defs, pwquality,
// sudoers, docker-daemon, compose, nginx  (each `import { <name>Writer } from './<service>.js'`).
export const WRITERS: Partial<Record<ConfigService, DirectiveWriter>> = {
  sshd: sshdWriter,
};

export function writerFor(service: ConfigService): DirectiveWriter | null {
  return WRITERS[service] ?? null;
}
