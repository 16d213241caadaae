/**
 * Cognito's request and response shapes come from the AWS SDK's own type declarations,
 * with the one change the wire makes: dates travel as epoch-second numbers.
 */
export type Wire<T> = T extends Date
  ? number
  : T extends Uint8Array
    ? string
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;
