/** Row shapes as the database holds them; only storage/ sees these. */
export interface Database {
  user_pools: {
    id: string;
    name: string;
    config: string;
    tags: string;
    created_at: number;
    updated_at: number;
  };
  user_pool_clients: {
    client_id: string;
    pool_id: string;
    name: string;
    secret: string | null;
    config: string;
    created_at: number;
    updated_at: number;
  };
  signing_keys: {
    kid: string;
    pool_id: string;
    purpose: string;
    private_key: string;
    public_jwk: string;
    created_at: number;
  };
}
