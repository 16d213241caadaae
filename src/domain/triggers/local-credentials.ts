import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Local emulators (SAM local, LocalStack, local KMS) check no signature, but the SDK refuses to send a request unsigned. */
const PLACEHOLDER: AwsCredentialIdentity = { accessKeyId: 'gatehouse-local', secretAccessKey: 'gatehouse-local' };

/**
 * For an AWS client pointed at a configured endpoint: the SDK's own credential chain while it finds
 * credentials (so a real account works against it too), placeholders once it has found none. That is
 * decided once, so later calls do not walk the whole chain (metadata endpoints included) again;
 * credentials that existed and then fail to refresh are a real fault and stay one.
 */
export function credentialsOrPlaceholder(): AwsCredentialIdentityProvider {
  const chain = defaultProvider();
  let found: boolean | undefined;
  return async () => {
    if (found === false) return PLACEHOLDER;
    try {
      const credentials = await chain();
      found = true;
      return credentials;
    } catch (error) {
      if (found) throw error;
      found = false;
      return PLACEHOLDER;
    }
  };
}
