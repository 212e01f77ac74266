import type { Source } from './evidence.js';

/**
 * Shared contract (other checks read these): every user and group of the target, with the
 * file:line that defined it. The accounts collector owns the rest of this type.
 */
export interface AccountUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  source: Source;
}
export interface AccountGroup {
  name: string;
  gid: number;
  /** Members listed in /etc/group (not those whose primary group this is: see membersOf). */
  members: string[];
  source: Source;
}

export interface AccountsFacts {
  installed: boolean;
  users: AccountUser[];
  groups: AccountGroup[];
}

/** Members of a group: listed members plus users whose primary group it is. */
export function membersOf(facts: Pick<AccountsFacts, 'users' | 'groups'>, group: string): string[] {
  const g = facts.groups.find((x) => x.name === group);
  if (!g) return [];
  const primary = facts.users.filter((u) => u.gid === g.gid).map((u) => u.name);
  return [...new Set([...g.members, ...primary])].sort();
}
