import type { Services } from '../domain/services.js';
import type { ContextDataType, UserContextDataType } from '@aws-sdk/client-cognito-identity-provider';
import type { SignInContext } from '../domain/auth/authentication.js';
import type { Caller } from '../domain/triggers/caller.js';

/** What a request hands an operation: the domain services it declared, and where the request came from. */
export interface OperationContext<K extends keyof Services = keyof Services> {
  readonly services: Pick<Services, K>;
  readonly requestId: string;
  /** The caller's address, which Cognito records on devices as last_ip_used. */
  readonly sourceIp: string;
  /** The calling SDK in Cognito's `callerContext.awsSdkVersion` form, for the triggers the operation runs. */
  readonly awsSdkVersion: string;
  /** The request's User-Agent, which threat protection takes for the user's device on public calls. */
  readonly userAgent?: string;
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

/**
 * Where a sign-in comes from, as the request tells it: an admin call's ContextData describes the
 * user's request to the app's server (its address and User-Agent header); a public call's
 * UserContextData may name the address, and the request's own User-Agent is the user's device.
 */
export function signInContextOf(input: { ContextData?: ContextDataType; UserContextData?: UserContextDataType }, context: Pick<OperationContext, 'userAgent'>): SignInContext {
  const headers = input.ContextData?.HttpHeaders ?? [];
  const userAgent = input.ContextData ? headers.find((header) => header.headerName?.toLowerCase() === 'user-agent')?.headerValue : context.userAgent;
  const ipAddress = input.ContextData?.IpAddress ?? input.UserContextData?.IpAddress;
  return { ...(ipAddress && { ipAddress }), ...(userAgent && { deviceName: userAgent }) };
}
