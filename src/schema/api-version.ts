export const API_VERSIONS = ["v1.0", "beta"] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];

export const isApiVersion = (value: string): value is ApiVersion => (API_VERSIONS as readonly string[]).includes(value);
