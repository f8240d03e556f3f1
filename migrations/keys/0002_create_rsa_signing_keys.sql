-- RS256 keys, as Graph signs its notifications: the one that signs, the next one (published before it
-- signs, so a bot's key cache can be tested) and the previous one (still published until the next
-- rotation). One row per role at most. The ES256 key of 0001 is no longer read and is left as it is.
CREATE TABLE rsa_signing_keys (
	kid TEXT PRIMARY KEY,
	role TEXT NOT NULL UNIQUE CHECK (role IN ('signing', 'next', 'previous')),
	private_jwk TEXT NOT NULL,
	public_jwk TEXT NOT NULL,
	created_at TEXT NOT NULL
);
