import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoError } from '../errors.js';

/**
 * The sentence Cognito puts before the rule a password broke. It is not the same everywhere:
 * SignUp says "did not conform with policy", AdminCreateUser's TemporaryPassword says "did not
 * conform with password policy", and the password-replacing operations (ConfirmForgotPassword,
 * ChangePassword, AdminSetUserPassword, the NEW_PASSWORD_REQUIRED challenge) say "does not
 * conform to policy". Callers pick the one their operation uses.
 */
export const POLICY_PREAMBLE = {
  signUp: 'Password did not conform with policy',
  temporaryPassword: 'Password did not conform with password policy',
  newPassword: 'Password does not conform to policy',
} as const;

export type PolicyPreamble = (typeof POLICY_PREAMBLE)[keyof typeof POLICY_PREAMBLE];

/** Cognito's minimum length when a policy leaves it out. */
const DEFAULT_MINIMUM_LENGTH = 8;

/** Cognito's letters are Basic Latin only: an accented capital does not satisfy RequireUppercase. */
const UPPERCASE = /[A-Z]/;
const LOWERCASE = /[a-z]/;
const NUMERIC = /[0-9]/;
/**
 * Cognito's special characters are exactly the 32 ASCII punctuation marks
 * ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and the space. Leading and
 * trailing spaces never get this far: the model's `^[\S]+.*[\S]+$` pattern refuses them.
 */
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/**
 * Throws InvalidPasswordException naming the first rule `password` breaks. Cognito reports one
 * rule, not all of them, in the order checked here: length, uppercase, lowercase, numeric, symbol.
 */
export function checkPassword(policy: PasswordPolicyType, password: string, preamble: PolicyPreamble = POLICY_PREAMBLE.signUp): void {
  const broken = firstBrokenRule(policy, password);
  if (broken) throw new CognitoError('InvalidPasswordException', `${preamble}: ${broken}`);
}

function firstBrokenRule(policy: PasswordPolicyType, password: string): string | undefined {
  // UTF-16 code units, as Java's String.length() counts them.
  if (password.length < (policy.MinimumLength ?? DEFAULT_MINIMUM_LENGTH)) return 'Password not long enough';
  if (policy.RequireUppercase && !UPPERCASE.test(password)) return 'Password must have uppercase characters';
  if (policy.RequireLowercase && !LOWERCASE.test(password)) return 'Password must have lowercase characters';
  if (policy.RequireNumbers && !NUMERIC.test(password)) return 'Password must have numeric characters';
  if (policy.RequireSymbols && !SYMBOL.test(password)) return 'Password must have symbol characters';
  return undefined;
}
