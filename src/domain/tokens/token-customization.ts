/** The claims a pre token generation function may shape, before Cognito's own claims are laid over them. */
export interface CustomizableClaims {
  id: Record<string, unknown>;
  access: Record<string, unknown>;
  /** The access token's `scope`, as a list. */
  scopes: string[];
}

/** Claims no function may add, change or suppress (Cognito's list). */
const IMMUTABLE = new Set([
  'acr', 'amr', 'aud', 'at_hash', 'auth_time', 'azp', 'cognito:username', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'sub', 'token_use',
]);
/** In the access token, scopes change only through scopesToAdd and scopesToSuppress. */
const ACCESS_ONLY_IMMUTABLE = new Set(['scope', 'client_id', 'username']);

interface ClaimsChange {
  claimsToAddOrOverride?: Record<string, unknown> | null;
  claimsToSuppress?: string[] | null;
}

interface GroupOverride {
  groupsToOverride?: string[] | null;
  iamRolesToOverride?: string[] | null;
  preferredRole?: string | null;
}

/** `request.groupConfiguration`: the user's groups as the tokens would carry them. */
export function groupConfiguration(groupClaims: Record<string, unknown>): Required<GroupOverride> {
  return {
    groupsToOverride: (groupClaims['cognito:groups'] as string[] | undefined) ?? [],
    iamRolesToOverride: (groupClaims['cognito:roles'] as string[] | undefined) ?? [],
    preferredRole: (groupClaims['cognito:preferred_role'] as string | undefined) ?? null,
  };
}

/** The group claims a function's groupOverrideDetails stands for; empty or null suppresses them. */
function groupClaimsOf(override: GroupOverride | null): { id: Record<string, unknown>; access: Record<string, unknown> } {
  const groups = override?.groupsToOverride ?? [];
  const roles = override?.iamRolesToOverride ?? [];
  const names = groups.length > 0 ? { 'cognito:groups': groups } : {};
  return {
    access: names,
    id: { ...names, ...(roles.length > 0 && { 'cognito:roles': roles }), ...(override?.preferredRole && { 'cognito:preferred_role': override.preferredRole }) },
  };
}

const GROUP_CLAIMS = ['cognito:groups', 'cognito:roles', 'cognito:preferred_role'];

function withoutGroups(claims: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !GROUP_CLAIMS.includes(name)));
}

/** One token's claims after a function's change: what it adds, less what it suppresses (suppression wins). */
function changed(claims: Record<string, unknown>, change: ClaimsChange | null | undefined, locked: (name: string) => boolean): Record<string, unknown> {
  if (!change) return claims;
  const result = { ...claims };
  for (const [name, value] of Object.entries(change.claimsToAddOrOverride ?? {})) if (!locked(name)) result[name] = value;
  for (const name of change.claimsToSuppress ?? []) if (!locked(name)) delete result[name];
  return result;
}

const lockedInId = (name: string) => IMMUTABLE.has(name);
const lockedInAccess = (name: string) => IMMUTABLE.has(name) || ACCESS_ONLY_IMMUTABLE.has(name);

/**
 * Applies a pre token generation answer. Version 1 changes the ID token (and the groups of both);
 * versions 2 and 3 change both tokens and the access token's scopes.
 */
export function applyCustomization(version: string, response: Record<string, unknown>, claims: CustomizableClaims): CustomizableClaims {
  const details = (version === '1' ? response.claimsOverrideDetails : response.claimsAndScopeOverrideDetails) as Record<string, unknown> | null | undefined;
  if (!details) return claims;
  let { id, access, scopes } = claims;
  if ('groupOverrideDetails' in details) {
    const groups = groupClaimsOf(details.groupOverrideDetails as GroupOverride | null);
    id = { ...withoutGroups(id), ...groups.id };
    access = { ...withoutGroups(access), ...groups.access };
  }
  if (version === '1') return { id: changed(id, details as ClaimsChange, lockedInId), access, scopes };
  id = changed(id, details.idTokenGeneration as ClaimsChange | null, lockedInId);
  const accessChange = details.accessTokenGeneration as (ClaimsChange & { scopesToAdd?: string[] | null; scopesToSuppress?: string[] | null }) | null | undefined;
  access = changed(access, accessChange, lockedInAccess);
  const suppressed = new Set(accessChange?.scopesToSuppress ?? []);
  scopes = [...new Set([...scopes, ...(accessChange?.scopesToAdd ?? [])])].filter((scope) => !suppressed.has(scope));
  return { id, access, scopes };
}
