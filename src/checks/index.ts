import { REQUIREMENTS } from '../catalog/requirements.js';
import type { Check } from './define.js';
import { patchChecks } from './patch/index.js';
import { accountsChecks } from './accounts/index.js';
import { sshChecks } from './ssh/index.js';
import { fsChecks } from './fs/index.js';
import { fwChecks } from './fw/index.js';
import { netChecks } from './net/index.js';
import { f2bChecks } from './f2b/index.js';
import { dockerChecks } from './docker/index.js';
import { pgChecks } from './pg/index.js';
import { redisChecks } from './redis/index.js';
import { idsChecks } from './ids/index.js';
import { gdprChecks } from './gdpr/index.js';
import { devChecks } from './dev/index.js';
import { irChecks } from './ir/index.js';
import { backupChecks } from './backup/index.js';
import { docsChecks } from './docs/index.js';
import { logChecks } from './log/index.js';
import { tlsChecks } from './tls/index.js';
import { svcChecks } from './svc/index.js';

const ORDER = new Map(REQUIREMENTS.map((r, i) => [r.id, i]));

/** Every implemented check, in the catalog's order. */
export const CHECKS: readonly Check[] = [
  ...patchChecks,
  ...accountsChecks,
  ...sshChecks,
  ...fsChecks,
  ...fwChecks,
  ...netChecks,
  ...f2bChecks,
  ...dockerChecks,
  ...pgChecks,
  ...redisChecks,
  ...idsChecks,
  ...gdprChecks,
  ...devChecks,
  ...irChecks,
  ...backupChecks,
  ...docsChecks,
  ...logChecks,
  ...tlsChecks,
  ...svcChecks,
].sort((a, b) => (ORDER.get(a.id) ?? 0) - (ORDER.get(b.id) ?? 0));
