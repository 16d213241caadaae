import type { Generated } from 'kysely';

/** Row shapes as the database holds them; only storage/ sees these. */
export interface Database {
  user_pools: {
    id: string;
    name: string;
    config: string;
    tags: string;
    user_count: Generated<number>;
    created_at: number;
    updated_at: number;
    version: Generated<number>;
  };
  user_pool_clients: {
    client_id: string;
    pool_id: string;
    name: string;
    secret: string | null;
    config: string;
    created_at: number;
    updated_at: number;
    version: Generated<number>;
  };
  signing_keys: {
    kid: string;
    pool_id: string;
    purpose: string;
    private_key: string;
    public_jwk: string;
    created_at: number;
  };
  users: {
    pool_id: string;
    sub: string;
    username: string;
    username_key: string;
    status: string;
    enabled: number;
    password_hash: string | null;
    password_expires_at: number | null;
    attributes: string;
    settings: string;
    failed_sign_ins: Generated<number>;
    last_failed_sign_in: number | null;
    sign_ins_in_flight: Generated<number>;
    last_sign_in_started_at: number | null;
    srp_verifier: string | null;
    created_at: number;
    updated_at: number;
    version: Generated<number>;
  };
  user_aliases: {
    pool_id: string;
    kind: string;
    alias_key: string;
    sub: string;
  };
  user_search: {
    pool_id: string;
    attribute: string;
    value: string;
    sub: string;
  };
  token_families: {
    origin_jti: string;
    pool_id: string;
    client_id: string;
    sub: string;
    refresh_hash: string;
    device_key: string | null;
    auth_time: number;
    expires_at: number;
    revoked: number;
    previous_refresh_hash: string | null;
    previous_valid_until: number | null;
    scopes: string | null;
  };
  auth_sessions: {
    id: string;
    pool_id: string;
    client_id: string;
    sub: string;
    challenge: string;
    state: string;
    expires_at: number;
    used_at: number | null;
  };
  attempt_counts: {
    pool_id: string;
    sub: string;
    action: string;
    window_started_at: number;
    attempts: number;
  };
  verification_codes: {
    pool_id: string;
    sub: string;
    purpose: string;
    code_hash: string;
    destination_attribute: string;
    expires_at: number;
    failed_attempts: number;
  };
  devices: {
    pool_id: string;
    device_key: string;
    sub: string;
    group_key: string;
    verifier: string | null;
    name: string | null;
    remembered: number;
    last_ip: string | null;
    created_at: number;
    updated_at: number;
    last_authenticated_at: number | null;
  };
  user_groups: {
    pool_id: string;
    name_key: string;
    name: string;
    description: string | null;
    precedence: number | null;
    role_arn: string | null;
    created_at: number;
    updated_at: number;
    version: Generated<number>;
  };
  group_members: {
    pool_id: string;
    group_key: string;
    username_key: string;
    sub: string;
  };
  pool_documents: {
    pool_id: string;
    kind: string;
    doc_key: string;
    body: string;
    created_at: number;
    updated_at: number;
    version: Generated<number>;
  };
  user_import_jobs: {
    job_id: string;
    pool_id: string;
    status: string;
    body: string;
    lease_owner: string | null;
    lease_until: number | null;
    created_at: number;
    version: Generated<number>;
  };
  user_import_parts: {
    job_id: string;
    upload_id: string;
    part: number;
    data: Uint8Array;
  };
  user_import_lines: {
    job_id: string;
    line: number;
    outcome: string;
    message: string;
  };
  message_outbox: {
    id: string;
    pool_id: string;
    sent_at: number;
    body: string;
  };
  auth_events: {
    event_id: string;
    pool_id: string;
    sub: string | null;
    created_at: number;
    ip_address: string | null;
    body: string;
  };
  user_sessions: {
    session_id: string;
    origin_jti: string;
    pool_id: string;
    sub: string;
    client_id: string;
    created_at: number;
    last_active_at: number;
    last_ip: string | null;
    device_type: string | null;
  };
}
