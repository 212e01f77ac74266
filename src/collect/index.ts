import type { CollectorRegistry } from './run.js';
import { hostCollector } from './host.js';
import { sshdCollector } from './sshd.js';
import { fail2banCollector } from './fail2ban.js';
import { firewallCollector } from './firewall.js';
import { listenersCollector } from './listeners.js';
import { accountsCollector } from './accounts.js';
import { packagesCollector } from './packages.js';
import { worldWritableCollector } from './world-writable.js';
import { appPermissionsCollector } from './app-permissions.js';
import { macCollector } from './mac.js';
import { storageCollector } from './storage.js';
import { dockerCollector } from './docker.js';
import { postgresCollector } from './postgres.js';
import { redisCollector } from './redis.js';
import { loggingCollector } from './logging.js';
import { idsCollector } from './ids.js';
import { webCollector } from './web.js';
import { backupsCollector } from './backups.js';
import { servicesCollector } from './services.js';

/** One collector per target fact family. State facts (attestations, sign-offs) have none: src/audit.ts adds them. */
export const COLLECTORS: CollectorRegistry = {
  host: hostCollector,
  sshd: sshdCollector,
  fail2ban: fail2banCollector,
  firewall: firewallCollector,
  listeners: listenersCollector,
  accounts: accountsCollector,
  packages: packagesCollector,
  worldWritable: worldWritableCollector,
  appPermissions: appPermissionsCollector,
  mac: macCollector,
  storage: storageCollector,
  docker: dockerCollector,
  postgres: postgresCollector,
  redis: redisCollector,
  logging: loggingCollector,
  ids: idsCollector,
  web: webCollector,
  backups: backupsCollector,
  services: servicesCollector,
};
