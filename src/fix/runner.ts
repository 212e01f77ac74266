import { runCommand, type CommandRunner } from './restore.js';
import { SSHD_TREE, validateSshdTree } from './sshd-tree.js';

/** Validators and reloads: the sshd tree validator runs in-process, everything else is spawned. */
export const fixRunner: CommandRunner = (argv, timeoutMs) =>
  argv[0] === SSHD_TREE ? validateSshdTree(argv, timeoutMs) : runCommand(argv, timeoutMs);
