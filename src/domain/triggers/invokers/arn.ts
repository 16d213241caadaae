/** The parts of `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]` the back ends need. */

/** The function's name, also from a bare name, `name:qualifier` or a partial `<account>:function:<name>` ARN. */
export function functionNameOf(arnOrName: string): string {
  const afterFunction = arnOrName.split(':function:')[1] ?? arnOrName;
  return afterFunction.split(':')[0]!;
}

/** The region a full ARN names; undefined for anything else (the SDK then falls back to its own default). */
export function regionOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts[3] ? parts[3] : undefined;
}
