import type { CommandSpec } from '../spec.js';
import { attestCommand } from './attest.js';
import { auditCommand } from './audit.js';
import { backupVerifyCommand } from './backup.js';
import { fixSpec } from './fix.js';
import { fleetDriftSpec, fleetPlaybookSpec } from './fleet.js';
import { rollbackSpec } from './rollback.js';
import { explainCommand, requirementsCommand, schemaCommand } from './catalog.js';
import { checklistCommand } from './checklist.js';
import { collectCommand } from './collect.js';
import { diffCommand } from './diff.js';
import { historyCommand } from './history.js';
import { keygenCommand } from './keygen.js';
import { signoffCommand } from './signoff.js';
import { verifySpec } from './verify.js';

/**
 * The registry: every command of the CLI, in the order of the global help. A new command is one
 * import and one entry here (a subcommand such as `fleet drift` is named with its space).
 */
export const COMMANDS: readonly CommandSpec[] = [
  auditCommand,
  requirementsCommand,
  explainCommand,
  historyCommand,
  diffCommand,
  schemaCommand,
  attestCommand,
  checklistCommand,
  keygenCommand,
  signoffCommand,
  verifySpec,
  fixSpec,
  rollbackSpec,
  fleetDriftSpec,
  fleetPlaybookSpec,
  collectCommand,
  backupVerifyCommand,
];
