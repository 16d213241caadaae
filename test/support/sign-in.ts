// The shortest path to real tokens: a pool, an app client and a confirmed user.
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

export interface SignInTarget {
  poolId: string;
  clientId: string;
  username: string;
  password: string;
}

export async function poolWithUser(cognito: CognitoIdentityProviderClient, poolName = 'sign-in'): Promise<SignInTarget> {
  const poolId = (await cognito.send(new CreateUserPoolCommand({ PoolName: poolName }))).UserPool!.Id!;
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  const target = { poolId, clientId: UserPoolClient!.ClientId!, username: 'ann', password: 'Password1!' };
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: target.username, MessageAction: 'SUPPRESS' }));
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: target.username, Password: target.password, Permanent: true }));
  return target;
}

export async function adminSignIn(cognito: CognitoIdentityProviderClient, target: SignInTarget): Promise<AuthenticationResultType> {
  const { AuthenticationResult } = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: target.poolId,
      ClientId: target.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: target.username, PASSWORD: target.password },
    }),
  );
  return AuthenticationResult!;
}
