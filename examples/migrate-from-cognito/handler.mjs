// A UserMigration function that moves users from a live Amazon Cognito user pool into a Gatehouse
// pool as they sign in: the password is checked against the old pool (ADMIN_USER_PASSWORD_AUTH),
// the user's attributes are read from it (AdminGetUser), and Gatehouse creates the user, hashing the
// password it was given, so the user never notices the move. Run it as a Gatehouse module trigger,
// or deploy it to Lambda unchanged. It needs AWS credentials allowed cognito-idp:AdminInitiateAuth
// and cognito-idp:AdminGetUser on the old pool, and these settings:
//   OLD_POOL_ID          the Cognito pool users come from, e.g. eu-west-1_AbC123xyZ
//   OLD_CLIENT_ID        an app client of it with ALLOW_ADMIN_USER_PASSWORD_AUTH (and no secret)
//   OLD_POOL_REGION      its region (default: the pool id's)
//   OLD_POOL_ENDPOINT    another endpoint for it (a test double); AWS by default
import { AdminGetUserCommand, AdminInitiateAuthCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

const poolId = process.env.OLD_POOL_ID;
const clientId = process.env.OLD_CLIENT_ID;
const source = new CognitoIdentityProviderClient({
  region: process.env.OLD_POOL_REGION ?? poolId?.split('_')[0],
  ...(process.env.OLD_POOL_ENDPOINT && { endpoint: process.env.OLD_POOL_ENDPOINT }),
});

/** Attributes Cognito sets itself, which a migrated user's answer must not name. */
const KEPT_BY_COGNITO = new Set(['sub', 'identities', 'cognito:user_status', 'cognito:mfa_enabled', 'cognito:username']);

export const handler = async (event) => {
  if (!poolId || !clientId) throw new Error('set OLD_POOL_ID and OLD_CLIENT_ID');
  if (event.triggerSource === 'UserMigration_Authentication') {
    // A wrong password throws NotAuthorizedException here, and the sign-in fails as for a stranger.
    // A challenge in the answer (MFA, a new password) still means the password was right.
    await source.send(
      new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: event.userName, PASSWORD: event.request.password } }),
    );
  }
  const user = await source.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: event.userName }));
  event.response.userAttributes = Object.fromEntries((user.UserAttributes ?? []).filter(({ Name }) => !KEPT_BY_COGNITO.has(Name)).map(({ Name, Value }) => [Name, Value]));
  // Signing in proved the password; a user who forgot it sets a new one with the code sent next.
  event.response.finalUserStatus = event.triggerSource === 'UserMigration_Authentication' ? 'CONFIRMED' : 'RESET_REQUIRED';
  event.response.messageAction = 'SUPPRESS';
  return event;
};
