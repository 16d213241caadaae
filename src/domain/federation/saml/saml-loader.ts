// The one way the rest of Gatehouse reaches the SAML layer's heavy parts: a dynamic import, made once.
export type SamlRuntime = typeof import('./saml-runtime.js');

let loading: Promise<SamlRuntime> | undefined;

/** The SAML layer (saml-runtime.ts), imported on first use: its libraries cost a server start about half a second. */
export const loadSaml = (): Promise<SamlRuntime> => (loading ??= import('./saml-runtime.js'));
