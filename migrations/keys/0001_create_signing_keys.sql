-- The key pair that signs the bearer of every notification, made once per deployment.
CREATE TABLE signing_keys (
	kid TEXT PRIMARY KEY,
	private_jwk TEXT NOT NULL,
	public_jwk TEXT NOT NULL,
	created_at TEXT NOT NULL
);
