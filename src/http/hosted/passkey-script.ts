// The one script the managed login pages run, served from Gatehouse's own origin: WebAuthn has no
// form-only form. A form marked data-passkey="get" or "create" carries the options Gatehouse made
// (JSON, base64url binaries) in data-options; on submit the browser's authenticator answers, the
// answer goes into the form's `credential` field as JSON, and the form posts as any other.

export const PASSKEY_SCRIPT_PATH = '/ui-assets/passkey.js';

export const PASSKEY_SCRIPT = `(() => {
  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4)), (c) => c.charCodeAt(0)).buffer;
  const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const withIds = (list) => (list || []).map((entry) => ({ ...entry, id: bytes(entry.id) }));
  const request = (o) => ({ ...o, challenge: bytes(o.challenge), allowCredentials: withIds(o.allowCredentials) });
  const creation = (o) => ({ ...o, challenge: bytes(o.challenge), user: { ...o.user, id: bytes(o.user.id) }, excludeCredentials: withIds(o.excludeCredentials) });
  const json = (credential) => {
    if (typeof credential.toJSON === 'function') return credential.toJSON();
    const r = credential.response;
    const response = r.attestationObject
      ? { clientDataJSON: text(r.clientDataJSON), attestationObject: text(r.attestationObject), transports: r.getTransports ? r.getTransports() : [] }
      : { clientDataJSON: text(r.clientDataJSON), authenticatorData: text(r.authenticatorData), signature: text(r.signature), userHandle: r.userHandle ? text(r.userHandle) : undefined };
    return { id: credential.id, rawId: text(credential.rawId), type: credential.type, response, clientExtensionResults: credential.getClientExtensionResults(), authenticatorAttachment: credential.authenticatorAttachment };
  };
  for (const form of document.querySelectorAll('form[data-passkey]')) {
    form.addEventListener('submit', async (event) => {
      if (form.dataset.answered) return;
      event.preventDefault();
      const options = JSON.parse(form.dataset.options);
      const problem = form.querySelector('[data-passkey-error]');
      try {
        const credential = form.dataset.passkey === 'get'
          ? await navigator.credentials.get({ publicKey: request(options) })
          : await navigator.credentials.create({ publicKey: creation(options) });
        form.querySelector('input[name="credential"]').value = JSON.stringify(json(credential));
        form.dataset.answered = 'true';
        form.submit();
      } catch (error) {
        if (problem) {
          problem.hidden = false;
          problem.textContent = 'Your passkey did not answer (' + error.name + '). Try again.';
        }
      }
    });
  }
})();
`;
