import { defineCheck } from '../define.js';
import { fail, pass, unknown } from '../verdict.js';
import { membersOf } from '../../facts/accounts.js';
import { describeSource } from '../../facts/evidence.js';
import { matchWildcard } from '../../util/wildcard.js';
import { sshdValues } from '../../facts/sshd.js';
import { outcomeVerdict, sshdMethodNote, sshdRefusedOutcome, sshdUnreadable, type SshdEvidence } from './_lib.js';

export default defineCheck({
  id: 'ssh.allowed-users',
  remediation:
    'Set "AllowGroups ssh-users" (or AllowUsers) to the administrators, and make sure every named group exists and has members, or nobody can log in.',
  needs: ['sshd', 'accounts'],
  evaluate({ sshd, accounts }) {
    const note = sshdMethodNote(sshd);
    const users = sshdValues(sshd, 'allowusers');
    const groups = sshdValues(sshd, 'allowgroups');
    const refused = sshdRefusedOutcome(
      sshd,
      [...users, ...groups].map(({ context, setting }) => ({
        ...setting.source,
        message: `${describeSource(setting.source)}${context ? ` for ${context}` : ''}: "${setting.value}"`,
      })),
    );
    if (refused) return outcomeVerdict(refused);
    if (!users.some((u) => u.context === null) && !groups.some((g) => g.context === null))
      return fail(`neither AllowUsers nor AllowGroups is set: every account may log in over SSH${note}`, [
        { note: 'AllowUsers/AllowGroups unset (OpenSSH default: everyone)', message: 'AllowUsers and AllowGroups are not set' },
      ]);
    const bad: SshdEvidence[] = [];
    const good: SshdEvidence[] = [];
    for (const { context, setting } of groups) {
      for (const pat of setting.value.split(' ').filter((p) => p && !p.startsWith('!'))) {
        const names = accounts.groups.map((g) => g.name).filter((n) => matchWildcard(n, pat));
        const members = names.flatMap((n) => membersOf(accounts, n));
        const where = `${describeSource(setting.source)}${context ? `, for ${context}` : ''}`;
        if (names.length === 0) bad.push({ ...setting.source, message: `AllowGroups names "${pat}", which does not exist (${where})` });
        else if (members.length === 0)
          bad.push({ ...setting.source, message: `AllowGroups group "${pat}" has no members: nobody can log in (${where})` });
        else good.push({ ...setting.source, message: `AllowGroups "${pat}" (${[...new Set(members)].join(', ')}) (${where})` });
      }
    }
    for (const { context, setting } of users) {
      const where = `${describeSource(setting.source)}${context ? `, for ${context}` : ''}`;
      // "*" (or "*@host") admits every account: no limit at all (from that host).
      const everyone = setting.value.split(' ').filter((p) => /^\*(@.*)?$/.test(p));
      if (everyone.length)
        bad.push({ ...setting.source, message: `AllowUsers "${setting.value}" admits every account (${everyone.join(' ')}) (${where})` });
      else good.push({ ...setting.source, message: `AllowUsers "${setting.value}" (${where})` });
    }
    for (const { context, setting } of groups) {
      if (setting.value.split(' ').includes('*'))
        bad.push({
          ...setting.source,
          message: `AllowGroups "${setting.value}" admits every group (*) (${describeSource(setting.source)}${context ? `, for ${context}` : ''})`,
        });
    }
    if (bad.length) return fail(`${bad[0]!.message}${bad.length > 1 ? ` (+${bad.length - 1} more)` : ''}${note}`, bad);
    const unreadable = sshdUnreadable(sshd);
    if (unreadable.length)
      return unknown(`${good.map((g) => g.message).join('; ')}, but ${unreadable.map((p) => p.message).join('; ')}${note}`, good);
    return pass(`SSH access limited: ${good.map((g) => g.message).join('; ')}${note}`, good);
  },
});
