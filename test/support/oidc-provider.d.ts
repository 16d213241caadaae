// oidc-provider 8 ships no types (and @types/oidc-provider is not a dependency): just the part of its
// API that test/support/oidc-upstream.ts uses.

declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Account {
    accountId: string;
    /** The account's claims; oidc-provider releases those the granted scopes and claims allow. */
    claims(use: 'id_token' | 'userinfo', scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** The Koa context handed to configuration functions, as far as they are used here. */
  export interface ProviderContext {
    type: string;
    body: unknown;
  }

  export interface Interaction {
    uid: string;
    params: { client_id?: string; scope?: string; [parameter: string]: unknown };
    prompt: { name: string; reasons: string[]; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean };
    consent?: { grantId: string };
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    /** Stores the grant; resolves with its id. */
    save(): Promise<string>;
  }

  /** Computes the claims released in an ID token or a UserInfo response. */
  export interface ClaimsMask {
    /** What findAccount's claims() answered, before masking. */
    available: Record<string, unknown>;
    result(): Promise<Record<string, unknown>>;
  }

  /** Loosely typed: oidc-provider validates its configuration itself, at construction. */
  export interface Configuration {
    findAccount?: (ctx: ProviderContext, sub: string) => Promise<Account | undefined> | Account | undefined;
    renderError?: (ctx: ProviderContext, out: Record<string, string>, error: Error) => Promise<void> | void;
    [option: string]: unknown;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: new (properties: { accountId: string; clientId: string }) => Grant;
    readonly Claims: { prototype: ClaimsMask };
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    cookieName(type: 'session' | 'interaction' | 'resume'): string;
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<Interaction>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: 'server_error', listener: (ctx: ProviderContext, error: Error) => void): this;
  }
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** oidc-provider's own in-memory storage adapter. */
  export default class MemoryAdapter {
    constructor(model: string);
  }
}
