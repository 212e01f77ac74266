import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { isAdmin, membersOf, type AccountsFacts, type SudoPrincipal } from '../../facts/accounts.js';

/** Groups whose members can become root without sudo's rules (the guide's list). */
export const ROOT_EQUIVALENT_GROUPS = ['sudo', 'wheel', 'admin', 'docker', 'lxd', 'disk', 'shadow'] as const;

function principalIsAdmin(a: AccountsFacts, p: SudoPrincipal, users: string[], groups: string[]): boolean {
  const byUid = (id: string) => a.users.find((u) => String(u.uid) === id)?.name;
  const byGid = (id: string) => a.groups.find((g) => String(g.gid) === id)?.name;
  switch (p.kind) {
    case 'user':
      return p.name === 'root' || isAdmin(a, p.name, users, groups);
    case 'uid': {
      const n = byUid(p.name);
      return n !== undefined && (n === 'root' || isAdmin(a, n, users, groups));
    }
    case 'group':
      return groups.includes(p.name);
    case 'gid': {
      const n = byGid(p.name);
      return n !== undefined && groups.includes(n);
    }
    default:
      return false;
  }
}

const label = (p: SudoPrincipal) =>
  ({
    user: p.name,
    uid: `#${p.name}`,
    group: `%${p.name}`,
    gid: `%#${p.name}`,
    all: 'ALL',
    netgroup: `+${p.name}`,
    'nonunix-group': `%:${p.name}`,
  })[p.kind];

export default defineCheck({
  id: 'accounts.least-privilege',
  remediation:
    'Give UID 0 only to root, keep NOPASSWD: ALL to the configured admins (admin_users/admin_groups), and remove everyone else from sudo, wheel, admin, docker, lxd, disk and shadow.',
  needs: ['accounts'],
  evaluate({ accounts: a }, { config }) {
    const bad: Evidence[] = [];
    const seen: Evidence[] = [];
    for (const u of a.users) if (u.uid === 0 && u.name !== 'root') bad.push({ ...u.source, message: `${u.name} has UID 0` });
    for (const r of a.sudo.rules) {
      if (!r.commands.some((c) => c.command === 'ALL' && !c.negated && c.nopasswd)) continue;
      if (principalIsAdmin(a, r.principal, config.admin_users, config.admin_groups))
        seen.push({ ...r.source, message: `NOPASSWD: ALL for admin ${label(r.principal)}` });
      else bad.push({ ...r.source, message: `NOPASSWD: ALL for ${label(r.principal)}, not in admin_users/admin_groups` });
    }
    for (const g of ROOT_EQUIVALENT_GROUPS) {
      const grp = a.groups.find((x) => x.name === g);
      if (!grp) continue;
      const members = membersOf(a, g).filter((m) => m !== 'root');
      seen.push({ ...grp.source, message: `${g}: ${members.length ? members.join(', ') : '(no members)'}` });
      for (const m of members)
        if (!isAdmin(a, m, config.admin_users, config.admin_groups))
          bad.push({ ...grp.source, message: `${m} is in root-equivalent group ${g} but not in admin_users/admin_groups` });
    }
    const unsure: Evidence[] = [
      ...a.problems
        .filter((p) => p.source.path === '/etc/passwd' || p.source.path === '/etc/group')
        .map((p) => ({ ...p.source, message: p.message })),
      ...a.nis.map((n) => ({ ...n, message: 'NIS entry: accounts from NIS are not audited' })),
      ...a.sudo.problems.map((p) => ({ ...p.source, message: p.message })),
      ...a.sudo.files
        .filter((f) => !f.parsesOk)
        .map((f) => ({ ...f.source, message: 'sudoers file does not parse: its rules may be incomplete' })),
    ];
    if (bad.length) return fail(bad.map((b) => b.message).join('; '), [...bad, ...unsure, ...seen]);
    if (unsure.length) return unknown(`cannot rule out extra privileges: ${unsure.map((u) => u.message).join('; ')}`, [...unsure, ...seen]);
    return pass('only root has UID 0; NOPASSWD: ALL and root-equivalent groups are limited to admins', seen);
  },
});
