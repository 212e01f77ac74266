// What the planner knows of the commands recipes run (issue 12): for each, what its undo is, how long
// it may take, and when it has nothing to do. Reads through the Target only.
//
//   ufw …                 changes /etc/ufw/*.rules, ufw.conf, /etc/default/ufw and the kernel rulesets:
//                         all saved before and put back exactly by the undo (stronger than the inverse
//                         `ufw delete limit 22/tcp`, which would also delete a rule that was there before)
//   apt-get install -y P  skipped when every P is installed (dpkg status); no undo (a package stays)
//   aideinit              its databases saved (absent before: removed by the undo)
//   anything else         no undo (the plan says so)
import type { CommandStep as RecipeCommand } from '../checks/recipe.js';
import type { Target } from '../target/types.js';
import type { CommandAction } from './plan.js';
import { dpkgInstalled } from '../collect/dpkg.js';

const UFW_FILES = ['/etc/ufw/ufw.conf', '/etc/default/ufw'];
const AIDE_DBS = ['/var/lib/aide/aide.db', '/var/lib/aide/aide.db.new'];

export type CommandPlan = { skip: string } | { action: CommandAction; undo: string };

const base = (argv: readonly string[]): string => argv[0]?.split('/').at(-1) ?? '';

export async function planCommand(target: Target, step: RecipeCommand, requirement: string): Promise<CommandPlan> {
  const argv = step.argv;
  const cmd = base(argv);
  const common = { argv: [...argv], purpose: step.purpose, requirement };
  if (cmd === 'apt-get' && argv[1] === 'install') {
    const pkgs = argv.slice(2).filter((a) => !a.startsWith('-'));
    const installed = await dpkgInstalled(target);
    if (installed && pkgs.length > 0 && pkgs.every((p) => installed.has(p)))
      return { skip: `${argv.join(' ')}: not run, ${pkgs.join(', ')} ${pkgs.length > 1 ? 'are' : 'is'} installed` };
    return { action: { ...common, timeoutMs: 20 * 60_000 }, undo: 'none (the package stays installed; apt-get purge removes it)' };
  }
  if (cmd === 'ufw') {
    const rules = (await target.glob('/etc/ufw/*.rules')).filter((p) => !p.includes('\n'));
    const restores = [...new Set([...rules, '/etc/ufw/user.rules', '/etc/ufw/user6.rules', ...UFW_FILES])].sort();
    return {
      action: { ...common, timeoutMs: 60_000, restores, restoresKernelFirewall: true },
      undo: `restore ${restores.join(', ')} and the kernel rulesets (iptables-save, ip6tables-save) exactly as saved before`,
    };
  }
  if (cmd === 'aideinit')
    return {
      action: { ...common, timeoutMs: 2 * 3_600_000, restores: AIDE_DBS },
      undo: `restore ${AIDE_DBS.join(', ')} as they were (removed if new)`,
    };
  return { action: { ...common, timeoutMs: 10 * 60_000 }, undo: 'none' };
}
