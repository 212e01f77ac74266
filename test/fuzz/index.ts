// Every fuzz target, in one list (run by test/fuzz/fuzz.test.ts and test/fuzz/run.ts).
import type { FuzzTarget } from './harness.js';
import { sshdConfig } from './sshd.fuzz.js';
import { group, loginDefs, pam, passwd, shadow, sudoers } from './accounts.fuzz.js';
import { fail2banIni, pgConf, pgHba, redisAcl, redisConf } from './services.fuzz.js';
import { iptablesSave, nftConf, nftJson, ufw } from './firewall.fuzz.js';
import { auditRules, journald, logrotate, rsyslog } from './logging.fuzz.js';
import { compose, dockerfile, dotenv } from './docker.fuzz.js';
import { composeEdit, pgHbaFix } from './fix-writers.fuzz.js';
import {
  aptConf,
  aptLists,
  aptPreferences,
  backupSniffers,
  factsSnapshot,
  inventory,
  lz4,
  nginx,
  payloadFrames,
  waivers,
} from './misc.fuzz.js';

export const TARGETS: FuzzTarget[] = [
  sshdConfig,
  fail2banIni,
  ufw,
  iptablesSave,
  nftJson,
  nftConf,
  sudoers,
  pam,
  loginDefs,
  passwd,
  shadow,
  group,
  pgHba,
  pgHbaFix,
  pgConf,
  redisConf,
  redisAcl,
  compose,
  composeEdit,
  dotenv,
  dockerfile,
  logrotate,
  journald,
  rsyslog,
  auditRules,
  nginx,
  aptConf,
  aptLists,
  aptPreferences,
  lz4,
  backupSniffers,
  waivers,
  factsSnapshot,
  inventory,
  payloadFrames,
];
