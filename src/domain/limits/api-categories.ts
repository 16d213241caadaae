/**
 * Cognito's request-rate quota categories, each with the rate Cognito gives without charge
 * (its documented defaults), and the operations it meters under each. Cognito lists only some
 * memberships; the rest follow the category descriptions (reads and writes of users, of their
 * devices and groups, of the pool, of its resources and of its app clients).
 */
export const FREE_RATES = {
  UserAuthentication: 120,
  UserCreation: 50,
  UserFederation: 25,
  UserAccountRecovery: 30,
  UserRead: 120,
  UserUpdate: 25,
  UserToken: 120,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserList: 30,
  UserPoolRead: 15,
  UserPoolUpdate: 15,
  UserPoolResourceRead: 20,
  UserPoolResourceUpdate: 15,
  UserPoolClientRead: 15,
  UserPoolClientUpdate: 15,
  ClientAuthentication: 150,
} as const;

export type ApiCategory = keyof typeof FREE_RATES;

export const isApiCategory = (name: string): name is ApiCategory => Object.hasOwn(FREE_RATES, name);

/**
 * What Gatehouse calls a federated sign-in's return from the provider (/oauth2/idpresponse and
 * /saml2/idpresponse), which no API operation is: metered as UserFederation.
 */
export const FEDERATED_SIGN_IN = 'FederatedSignIn';

/** The token endpoint's authorization_code grant, the end of a managed-login sign-in: metered as UserAuthentication. */
export const AUTHORIZATION_CODE_GRANT = 'AuthorizationCodeGrant';

const MEMBERS: Record<ApiCategory, readonly string[]> = {
  UserAuthentication: ['InitiateAuth', 'AdminInitiateAuth', 'RespondToAuthChallenge', 'AdminRespondToAuthChallenge', 'GetTokensFromRefreshToken', AUTHORIZATION_CODE_GRANT],
  UserCreation: ['SignUp', 'ConfirmSignUp', 'AdminCreateUser', 'AdminConfirmSignUp'],
  UserFederation: [FEDERATED_SIGN_IN],
  UserAccountRecovery: ['ForgotPassword', 'ConfirmForgotPassword', 'ChangePassword', 'AdminResetUserPassword', 'AdminSetUserPassword'],
  UserRead: ['GetUser', 'AdminGetUser', 'GetUserAuthFactors', 'AdminGetUserAuthFactors'],
  UserUpdate: [
    'AdminDeleteUser', 'AdminDeleteUserAttributes', 'AdminDisableProviderForUser', 'AdminDisableUser', 'AdminEnableUser', 'AdminLinkProviderForUser',
    'AdminSetUserMFAPreference', 'AdminSetUserSettings', 'AdminUpdateUserAttributes', 'AdminUserGlobalSignOut', 'AdminDeleteSoftwareToken',
    'AdminUpdateAuthEventFeedback', 'UpdateAuthEventFeedback', 'AssociateSoftwareToken', 'VerifySoftwareToken', 'DeleteUser', 'DeleteUserAttributes',
    'GetUserAttributeVerificationCode', 'VerifyUserAttribute', 'GlobalSignOut', 'ResendConfirmationCode', 'SetUserMFAPreference', 'SetUserSettings',
    'UpdateUserAttributes',
  ],
  UserToken: ['RevokeToken'],
  UserResourceRead: ['AdminGetDevice', 'AdminListDevices', 'GetDevice', 'ListDevices', 'AdminListGroupsForUser', 'AdminListUserAuthEvents', 'ListWebAuthnCredentials', 'ListUserSessions', 'AdminListUserSessions'],
  UserResourceUpdate: [
    'AdminAddUserToGroup', 'AdminRemoveUserFromGroup', 'AdminForgetDevice', 'AdminUpdateDeviceStatus', 'ConfirmDevice', 'ForgetDevice', 'UpdateDeviceStatus',
    'StartWebAuthnRegistration', 'CompleteWebAuthnRegistration', 'DeleteWebAuthnCredential', 'RevokeUserSession', 'AdminRevokeUserSession',
  ],
  UserList: ['ListUsers', 'ListUsersInGroup'],
  UserPoolRead: [
    'DescribeUserPool', 'ListUserPools', 'GetUserPoolMfaConfig', 'GetSigningCertificate', 'ListTagsForResource', 'DescribeRiskConfiguration',
    'GetLogDeliveryConfiguration', 'GetUserPoolSessionConfiguration', 'ListUserPoolReplicas', 'GetProvisionedLimit',
  ],
  UserPoolUpdate: [
    'CreateUserPool', 'UpdateUserPool', 'DeleteUserPool', 'SetUserPoolMfaConfig', 'AddCustomAttributes', 'TagResource', 'UntagResource', 'SetRiskConfiguration',
    'SetLogDeliveryConfiguration', 'SetUserPoolSessionConfiguration', 'CreateUserPoolReplica', 'UpdateUserPoolReplica', 'DeleteUserPoolReplica', 'UpdateProvisionedLimit',
  ],
  UserPoolResourceRead: [
    'GetGroup', 'ListGroups', 'DescribeIdentityProvider', 'GetIdentityProviderByIdentifier', 'ListIdentityProviders', 'DescribeResourceServer',
    'ListResourceServers', 'DescribeUserImportJob', 'ListUserImportJobs', 'GetCSVHeader', 'DescribeUserPoolDomain', 'GetUICustomization',
    'DescribeManagedLoginBranding', 'DescribeManagedLoginBrandingByClient', 'DescribeTerms', 'DescribeTermsByClient', 'ListTerms',
  ],
  UserPoolResourceUpdate: [
    'CreateGroup', 'UpdateGroup', 'DeleteGroup', 'CreateIdentityProvider', 'UpdateIdentityProvider', 'DeleteIdentityProvider', 'CreateResourceServer',
    'UpdateResourceServer', 'DeleteResourceServer', 'CreateUserImportJob', 'StartUserImportJob', 'StopUserImportJob', 'CreateUserPoolDomain',
    'UpdateUserPoolDomain', 'DeleteUserPoolDomain', 'SetUICustomization', 'CreateManagedLoginBranding', 'UpdateManagedLoginBranding',
    'DeleteManagedLoginBranding', 'CreateTerms', 'UpdateTerms', 'DeleteTerms',
  ],
  UserPoolClientRead: ['DescribeUserPoolClient', 'ListUserPoolClients', 'ListUserPoolClientSecrets', 'GetUserPoolClientSessionConfiguration'],
  UserPoolClientUpdate: ['CreateUserPoolClient', 'UpdateUserPoolClient', 'DeleteUserPoolClient', 'AddUserPoolClientSecret', 'DeleteUserPoolClientSecret', 'SetUserPoolClientSessionConfiguration'],
  // The token endpoint's client_credentials grant is metered as GetClientToken, its API twin.
  ClientAuthentication: ['GetClientToken'],
};

const CATEGORY_OF: ReadonlyMap<string, ApiCategory> = new Map(
  (Object.entries(MEMBERS) as [ApiCategory, readonly string[]][]).flatMap(([category, operations]) => operations.map((operation) => [operation, category] as const)),
);

export const categoryOf = (operation: string): ApiCategory | undefined => CATEGORY_OF.get(operation);

/** Cognito gives challenge answers their own allowance of three times the sign-in rate before they count as sign-ins. */
export const CHALLENGE_ALLOWANCE = 3;
export const isChallengeAnswer = (operation: string): boolean => operation === 'RespondToAuthChallenge' || operation === 'AdminRespondToAuthChallenge';
