import type { Services } from '../domain/services.js';

export interface OperationContext {
  readonly services: Services;
  readonly requestId: string;
  /** The caller's address, which Cognito records on devices as last_ip_used. */
  readonly sourceIp: string;
}

/**
 * A Cognito operation: receives input already checked against the service model,
 * returns the response body. Anything it throws that is not a CognitoError is a bug (500).
 */
export type Operation<Input = any, Output = any> = (input: Input, context: OperationContext) => Promise<Output>;

export const operation = <Input, Output>(handler: Operation<Input, Output>): Operation<Input, Output> => handler;
