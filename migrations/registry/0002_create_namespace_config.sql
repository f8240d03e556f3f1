-- The namespace's default configuration for its calls (a call's own configuration wins).
CREATE TABLE namespace_config (
	only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
	namespace TEXT NOT NULL,
	config TEXT NOT NULL
);
