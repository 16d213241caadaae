import type { Migration, MigrationProvider } from 'kysely';
import * as pools from './0001-pools-clients-keys.js';
import * as users from './0002-users.js';
import * as tokens from './0003-tokens-sessions.js';
import * as failures from './0004-sign-in-failures.js';
import * as rotation from './0005-refresh-rotation.js';
import * as codes from './0006-verification-codes.js';
import * as devices from './0007-srp-devices.js';
import * as groups from './0008-groups.js';
import * as attempts from './0009-attempt-counts.js';
import * as claims from './0010-single-use-claims.js';
import * as usedSessions from './0011-used-sessions.js';
import * as versions from './0012-versions.js';
import * as unownedSessions from './0013-unowned-sessions.js';
import * as poolDocuments from './0014-pool-documents.js';
import * as grantedScopes from './0015-granted-scopes.js';
import * as userImports from './0016-user-imports.js';
import * as messageOutbox from './0017-message-outbox.js';
import * as authEvents from './0018-auth-events.js';
import * as userSessions from './0020-user-sessions.js';
import * as authEventRisk from './0023-auth-event-risk.js';

/**
 * Every migration, in order. Listed in code rather than read from a folder so the
 * compiled server carries them wherever it goes. Never edit a released migration: add one.
 */
const migrations: Record<string, Migration> = {
  '0001-pools-clients-keys': pools,
  '0002-users': users,
  '0003-tokens-sessions': tokens,
  '0004-sign-in-failures': failures,
  '0005-refresh-rotation': rotation,
  '0006-verification-codes': codes,
  '0007-srp-devices': devices,
  '0008-groups': groups,
  '0009-attempt-counts': attempts,
  '0010-single-use-claims': claims,
  '0011-used-sessions': usedSessions,
  '0012-versions': versions,
  '0013-unowned-sessions': unownedSessions,
  '0014-pool-documents': poolDocuments,
  '0015-granted-scopes': grantedScopes,
  '0016-user-imports': userImports,
  '0017-message-outbox': messageOutbox,
  '0018-auth-events': authEvents,
  '0020-user-sessions': userSessions,
  '0023-auth-event-risk': authEventRisk,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export const latestMigration = Object.keys(migrations).at(-1)!;
