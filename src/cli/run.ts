import { audit } from './commands/audit.js';
import { explain, requirements, schema } from './commands/catalog.js';
import { diff } from './commands/diff.js';
import { history } from './commands/history.js';
import { attest } from './commands/attest.js';
import { checklist } from './commands/checklist.js';
import { keygen } from './commands/keygen.js';
import { signoff } from './commands/signoff.js';
import { verifyCommand } from './commands/verify.js';
import { collect } from './commands/collect.js';
import { backup } from './commands/backup.js';
import { fleet } from './commands/fleet.js';
import { TargetError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { VERSION } from '../version.js';

const HELP = `rampart ${VERSION}: audit a Debian/Ubuntu server against the Server Hardening Guide

Usage:
  rampart audit [options]          audit this host (live)
  rampart audit --root DIR         audit an offline root (image, chroot, mounted disk)
  rampart audit --facts FILE       re-evaluate a saved facts snapshot
  rampart audit --facts DIR        a fleet: every <host>.json snapshot (or playbook <host>.out) in DIR
  rampart fleet drift --facts DIR [--golden HOST] [--format text|json]   settings that differ across hosts
  rampart fleet playbook [--become] [-o FILE]   an Ansible playbook running the one-trip payload
  rampart requirements [--format text|json]   list the catalog
  rampart explain ID [--format text|json]  one requirement in full
  rampart history [--target NAME] [--format text|json]   stored runs per target
  rampart diff [RUN_A] [RUN_B] [--target NAME] [--format text|json]
                                   new failures, regressions, fixes, waiver and evidence changes
                                   (default: the last two runs of this host or --target)
  rampart schema [report|config]   print the JSON Schema of the report (or of the config file)
  rampart attest ID --status pass|fail --by NAME [--date YYYY-MM-DD] [--note TEXT] [--evidence URL]
                 [--expires 90d|YYYY-MM-DD] [--target NAME]
                                   record a person's answer for an attestation/evidence requirement
                                   or a checklist box (checklist.pre.N, checklist.post.N)
  rampart attest --list [--target NAME] [--all] [--format text|json]   the recorded attestations
  rampart checklist [--phase pre|post] [--root DIR | --facts FILE] [--format markdown|json] [-o FILE]
                                   the guide's section 6 checklist, ticked from a fresh audit
                                   (exit 1 when a box is not ticked)
  rampart keygen --out DIR [--name NAME]   an Ed25519 key pair for sign-offs
  rampart signoff FILE --key KEY.pem --by NAME [--role ROLE]
                                   sign a JSON report or checklist: FILE.signoff.json beside it
  rampart verify FILE              check a sign-off against the config's signers (exit 0 good, 1 bad)
  rampart collect --out DIR [--timeout SECONDS]   read-only forensic collection with a SHA-256 manifest
  rampart backup verify DIR [--format text|json]   backup encryption (by content) and SHA-256 manifests (exit 0 good, 1 bad)

Audit options:
  --format F[:PATH][,F[:PATH]...]  text (default) or json; a format without a path goes to stdout
  --output FILE                    the path of a single format
  --profile guide|strict           strict adds the requirements that carry the guide further
  --only SEL[,SEL...]              ids, areas (ssh or ssh.*) or sections (3.2) to run
  --skip SEL[,SEL...]              ids, areas or sections to leave out
  --fail-on SEVERITY               exit 1 on a fail/warn at or above it (default high)
  --fail-on-unknown                unknown results count towards the exit code too
  --config FILE                    else /etc/rampart/config.yaml on the target
  --save-facts FILE                save the collected snapshot (replay it with --facts)
  --target-name NAME               the name history, diff and waiver host: globs key on (default: the
                                   target's /etc/hostname, inside --root for an offline root; else the
                                   kernel's host name, or the root path); checklist takes it too
  --now ISO-DATE                   evaluate time-based verdicts at this time (attest, signoff and
                                   checklist take it too; else $RAMPART_NOW, else the real clock)
  --timeout SECONDS                per collector (default 60); commands time out at 15 s
  --state-dir DIR                  history store (default $RAMPART_STATE_DIR, else /var/lib/rampart;
                                   history and diff take it too)
  --no-store                       do not store this run in the history
  --compliance FRAMEWORK           group the results by control: iso27001:2013, iso27001:2022 or gdpr
                                   (text: a control table; json: a compliance object)

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage/configuration/internal error,
3 the target could not be reached or read. Waived results never fail a run.
diff: 0 no new failures or regressions, 1 new failures, regressions or expired waivers, 2 error.
`;

/** argv (without node and script) → exit code. Tests call this directly. */
export async function run(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'audit':
        return await audit(rest, io);
      case 'requirements':
        return requirements(rest, io);
      case 'explain':
        return explain(rest, io);
      case 'schema':
        return schema(rest, io);
      case 'history':
        return history(rest, io);
      case 'diff':
        return diff(rest, io);
      case 'attest':
        return await attest(rest, io);
      case 'checklist':
        return await checklist(rest, io);
      case 'keygen':
        return keygen(rest, io);
      case 'signoff':
        return await signoff(rest, io);
      case 'verify':
        return await verifyCommand(rest, io);
      case 'collect':
        return await collect(rest, io);
      case 'backup':
        return await backup(rest, io);
      case 'fleet':
        return await fleet(rest, io);
      case '--version':
      case 'version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout(HELP);
        return cmd === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${cmd}" (try rampart --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof TargetError) {
      io.stderr(`rampart: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof TypeError && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`rampart: ${e.message} (try rampart --help)\n`);
      return 2;
    }
    io.stderr(`rampart: internal error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}
