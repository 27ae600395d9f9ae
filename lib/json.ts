/** A parsed JSON object (not an array, not null): the shape most untrusted JSON is checked for. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);
