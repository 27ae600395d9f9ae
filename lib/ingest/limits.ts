/*
 * The documented limits of POST /api/v1/activity-records (README "Ingestion API"). One module, so
 * the validator, the route, the tests and the docs read the same numbers.
 */

/** Records per request; a larger batch is refused with 413 before anything is stored. */
export const MAX_RECORDS_PER_REQUEST = 1_000;

/** The whole request body, checked on Content-Length and enforced again while reading (413). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * One record's JSON: resourceOldValue, resourceNewValue and customizedData together, serialised
 * as UTF-8 JSON. An order of many line items fits easily; a blob does not belong in the log.
 */
export const MAX_RECORD_JSON_BYTES = 64 * 1024;

/** Nesting depth of a record's JSON values (deeper input would exhaust the server's stack). */
export const MAX_JSON_DEPTH = 32;

/** How far ahead of the server's clock `occurredAt` may be (producers' clocks drift a little). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export const MAX_EVENT_ID_LENGTH = 128;
export const MAX_USER_PRINCIPAL_NAME_LENGTH = 320;
export const MAX_APPLICATION_ID_LENGTH = 200;
export const MAX_CUSTOMER_NAME_LENGTH = 400;

/** Token bucket per API key, in process memory: sustained requests per second and burst. */
export const DEFAULT_RATE_PER_SECOND = 20;
export const DEFAULT_RATE_BURST = 40;
