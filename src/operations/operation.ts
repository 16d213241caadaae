import type { Services } from '../domain/services.js';
import type { Caller } from '../domain/triggers/caller.js';

/** What a request hands an operation: the domain services it declared, and where the request came from. */
export interface OperationContext<K extends keyof Services = keyof Services> {
  readonly services: Pick<Services, K>;
  readonly requestId: string;
  /** The caller's address, which Cognito records on devices as last_ip_used. */
  readonly sourceIp: string;
  /** The calling SDK in Cognito's `callerContext.awsSdkVersion` form, for the triggers the operation runs. */
  readonly awsSdkVersion: string;
}

/**
 * A Cognito operation: receives input already checked against the service model,
 * returns the response body. Anything it throws that is not a CognitoError is a bug (500).
 */
export type Operation<Input = any, Output = any> = (input: Input, context: OperationContext) => Promise<Output>;

/**
 * Declares an operation with the services it uses, which are all it is handed:
 * `operation('users')<AdminGetUserRequest, AdminGetUserResponse>(async (input, { services }) => …)`.
 */
export function operation<K extends keyof Services>(...uses: K[]) {
  return <Input, Output>(handler: (input: Input, context: OperationContext<K>) => Promise<Output>): Operation<Input, Output> => {
    const picked = new WeakMap<Services, Pick<Services, K>>();
    const servicesFor = (all: Services): Pick<Services, K> => {
      let services = picked.get(all);
      if (!services) {
        services = Object.fromEntries(uses.map((name) => [name, all[name]])) as Pick<Services, K>;
        picked.set(all, services);
      }
      return services;
    };
    return (input, context) => handler(input, { ...context, services: servicesFor(context.services as Services) });
  };
}

/**
 * The caller as the operation's triggers see it: the app client the request names (none for the
 * admin operations without one), the calling SDK, and the request's ClientMetadata.
 */
export function callerOf(input: { ClientId?: string; ClientMetadata?: Record<string, string> }, context: Pick<OperationContext, 'awsSdkVersion'>): Caller {
  return {
    ...(input.ClientId !== undefined && { clientId: input.ClientId }),
    awsSdkVersion: context.awsSdkVersion,
    ...(input.ClientMetadata !== undefined && { clientMetadata: input.ClientMetadata }),
  };
}
