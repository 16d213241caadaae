/** A user as trigger events show one: every attribute as a string, with the sub and the account status. */
export function eventAttributes(user: { sub?: string; attributes: Record<string, string>; status?: string }): Record<string, string> {
  return {
    ...(user.sub !== undefined && { sub: user.sub }),
    ...user.attributes,
    ...(user.status !== undefined && { 'cognito:user_status': user.status }),
  };
}
