import type { Kysely } from 'kysely';

/**
 * Issue 18: tokens from the OAuth endpoints carry the scopes the user granted, and a refresh keeps
 * them, so a token family records its scopes (space-separated). Null for the API's sign-ins, whose
 * tokens always carry aws.cognito.signin.user.admin.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('token_families').addColumn('scopes', 'text').execute();
}
