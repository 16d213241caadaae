/**
 * The one error type the layers below http/ throw. `type` is the Cognito exception
 * name that goes on the wire as `__type` and `x-amzn-ErrorType`; http/ decides the status.
 */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
export const resourceNotFound = (message: string) => new CognitoError('ResourceNotFoundException', message);
export const notAuthorized = (message: string) => new CognitoError('NotAuthorizedException', message);
