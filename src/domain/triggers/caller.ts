/**
 * Who made the request a trigger runs for, as Cognito tells the function in `callerContext`, and
 * the `ClientMetadata` the request carried.
 */
export interface Caller {
  /** The app client; absent for the admin operations, which Cognito reports as CLIENT_ID_NOT_APPLICABLE. */
  clientId?: string;
  /** The calling SDK, as `aws-sdk-<language>-<version>`. */
  awsSdkVersion: string;
  clientMetadata?: Record<string, string>;
}

export const UNKNOWN_SDK = 'aws-sdk-unknown-unknown';

/** A caller with nothing known about it: seeding, background work. */
export const NO_CALLER: Caller = { awsSdkVersion: UNKNOWN_SDK };

const SDK_AGENTS: [RegExp, string][] = [
  [/\baws-sdk-(\w+)\/([\w.-]+)/, '$1'],
  [/\bBotocore\/([\w.-]+)/, 'python'],
  [/\baws-cli\/([\w.-]+)/, 'cli'],
];

/**
 * The SDK named in a User-Agent header, in Cognito's form: `aws-sdk-js/3.1169.0 …` becomes
 * `aws-sdk-js-3.1169.0`; boto3 (botocore) becomes `aws-sdk-python-<botocore version>`.
 */
export function awsSdkVersionOf(userAgent: string | undefined): string {
  if (!userAgent) return UNKNOWN_SDK;
  for (const [pattern, language] of SDK_AGENTS) {
    const match = pattern.exec(userAgent);
    if (!match) continue;
    const version = match[match.length - 1];
    return `aws-sdk-${language === '$1' ? match[1] : language}-${version}`;
  }
  return UNKNOWN_SDK;
}
