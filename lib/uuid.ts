const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checked before an id reaches SQL: a malformed id is "not found", never a database error. */
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID_PATTERN.test(value);
