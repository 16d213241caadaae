import type { GroupRecord } from '../../storage/types.js';

/** What a user's groups add to their tokens; a user in no group gets no group claims at all. */
export interface GroupClaims {
  /** `cognito:groups`, in both tokens. */
  access: Record<string, unknown>;
  /** `cognito:groups`, `cognito:roles` and `cognito:preferred_role`, in the ID token. */
  id: Record<string, unknown>;
}

/** Lower precedence first; a group without one after every group with one. */
const rank = (group: GroupRecord): number => group.precedence ?? Number.POSITIVE_INFINITY;

/**
 * Cognito's group claims: the names by precedence (then name), every role of those groups, and
 * the preferred role, which is the role of the best-ranked groups that have one — unless groups
 * tied at that rank name different roles, when Cognito sets no preferred role.
 */
export function groupClaims(groups: readonly GroupRecord[]): GroupClaims {
  if (groups.length === 0) return { access: {}, id: {} };
  const ordered = [...groups].sort((a, b) => rank(a) - rank(b) || (a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : 0));
  const names = { 'cognito:groups': ordered.map((group) => group.name) };
  const withRoles = ordered.filter((group) => group.roleArn !== null);
  const roles = [...new Set(withRoles.map((group) => group.roleArn!))];
  const top = withRoles[0];
  const preferred = new Set(withRoles.filter((group) => top && rank(group) === rank(top)).map((group) => group.roleArn));
  return {
    access: names,
    id: {
      ...names,
      ...(roles.length > 0 && { 'cognito:roles': roles }),
      ...(preferred.size === 1 && { 'cognito:preferred_role': [...preferred][0] }),
    },
  };
}
