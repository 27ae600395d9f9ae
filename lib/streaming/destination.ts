import { randomBytes } from "node:crypto";
import { z } from "zod";
import { assertLiteralAllowed } from "./transports/address-policy";
import { invalidInput, issue, zodIssues, type IssueCatalog } from "@/lib/validation";
import { OPERATION_STATUSES, STREAM_FORMATS, STREAM_KINDS, type StreamFormat, type StreamKind } from "@/lib/domain";

/** What a person configures for a destination (the rest is delivery state). */
export interface DestinationInput {
  name: string;
  kind: StreamKind;
  url: string | null;
  host: string | null;
  port: number | null;
  tls: boolean;
  tlsCa: string | null;
  format: StreamFormat;
  batchSize: number;
  operationTypes: string[];
  statuses: (typeof OPERATION_STATUSES)[number][];
  customerIds: string[];
  enabled: boolean;
  /** The signing key (webhook, `whsec_…`) or HEC token; absent on an edit keeps the stored one. */
  secret?: string;
}

/**
 * Every problem a destination can have, by code: the API's English sentence (which names its
 * field) and, in the message catalogs, the form's words in each language.
 */
export const DESTINATION_ISSUES = {
  name_required: { message: "name is required" },
  name_too_long: { message: "name must be at most 100 characters", values: { max: 100 } },
  kind_invalid: { message: `kind must be one of ${STREAM_KINDS.join(", ")}` },
  kind_fixed: { message: "kind cannot change; add a new destination instead" },
  format_invalid: { message: `format must be one of ${STREAM_FORMATS.join(", ")}` },
  url_required_webhook: { message: "url is required for a webhook destination" },
  url_required_hec: { message: "url is required for a Splunk HEC destination" },
  url_too_long: { message: "url must be at most 2000 characters", values: { max: 2000 } },
  url_invalid: { message: "url must be an absolute http:// or https:// URL" },
  url_blocked: {
    message: "url points to a private, reserved or link-local address, which destinations may not reach",
  },
  url_credentials: { message: "url must not carry a user name or password (use the secret)" },
  host_required: { message: "host is required for a syslog destination" },
  host_invalid: { message: "host must be a host name or IP address" },
  host_blocked: {
    message: "host is a private, reserved or link-local address, which destinations may not reach",
  },
  port_required: { message: "port is required for a syslog destination" },
  port_invalid: { message: "port must be a whole number from 1 to 65535" },
  tls_invalid: { message: "tls must be true or false" },
  tls_ca_too_long: { message: "tlsCa must be at most 20,000 characters", values: { max: 20_000 } },
  batch_size_invalid: { message: "batchSize must be a whole number from 1 to 1000", values: { max: 1000 } },
  operation_types_invalid: {
    message: "operationTypes must be at most 200 operation types of 1 to 200 characters",
    values: { max: 200 },
  },
  statuses_invalid: { message: `statuses must be among ${OPERATION_STATUSES.join(", ")}` },
  customer_ids_invalid: { message: "customerIds must be at most 200 customer ids (UUIDs)", values: { max: 200 } },
  enabled_invalid: { message: "enabled must be true or false" },
  secret_too_long: { message: "secret must be 1 to 500 characters", values: { max: 500 } },
  secret_webhook_format: {
    message: "secret must be a Standard Webhooks key: whsec_ followed by base64 (at least 24 bytes)",
  },
  secret_required_hec: { message: "secret is required: the Splunk HEC token" },
  body_invalid: { message: "the body must be a JSON object describing a destination" },
} as const satisfies IssueCatalog<string>;

export type DestinationIssueCode = keyof typeof DESTINATION_ISSUES;

const list = <T extends z.ZodTypeAny>(item: T, code: DestinationIssueCode) =>
  z.array(item, { message: code }).max(200, code).default([]);

// Each message is a code of DESTINATION_ISSUES; a field's own problems share one.
const schema = z.object(
  {
    name: z.string({ message: "name_required" }).trim().min(1, "name_required").max(100, "name_too_long"),
    kind: z.enum(STREAM_KINDS, { message: "kind_invalid" }),
    url: z.string({ message: "url_invalid" }).trim().max(2000, "url_too_long").nullish(),
    host: z.string({ message: "host_invalid" }).trim().max(255, "host_invalid").nullish(),
    port: z.coerce
      .number({ message: "port_invalid" })
      .int("port_invalid")
      .min(1, "port_invalid")
      .max(65535, "port_invalid")
      .nullish(),
    tls: z.boolean({ message: "tls_invalid" }).default(false),
    tlsCa: z.string({ message: "tls_ca_too_long" }).trim().max(20_000, "tls_ca_too_long").nullish(),
    format: z.enum(STREAM_FORMATS, { message: "format_invalid" }).default("json"),
    batchSize: z.coerce
      .number({ message: "batch_size_invalid" })
      .int("batch_size_invalid")
      .min(1, "batch_size_invalid")
      .max(1000, "batch_size_invalid")
      .default(100),
    operationTypes: list(
      z
        .string({ message: "operation_types_invalid" })
        .trim()
        .min(1, "operation_types_invalid")
        .max(200, "operation_types_invalid"),
      "operation_types_invalid",
    ),
    statuses: list(z.enum(OPERATION_STATUSES, { message: "statuses_invalid" }), "statuses_invalid"),
    customerIds: list(z.uuid({ message: "customer_ids_invalid" }), "customer_ids_invalid"),
    enabled: z.boolean({ message: "enabled_invalid" }).default(true),
    secret: z
      .string({ message: "secret_too_long" })
      .trim()
      .min(1, "secret_too_long")
      .max(500, "secret_too_long")
      .optional(),
  },
  { message: "body_invalid" },
);

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/** An IP literal the address policy refuses is refused here already; names are checked as they resolve. */
function reachable(host: string): boolean {
  try {
    assertLiteralAllowed(host);
    return true;
  } catch {
    return false;
  }
}

function fail(field: string, code: DestinationIssueCode): never {
  throw invalidInput([issue(DESTINATION_ISSUES, field, code)]);
}

/**
 * Checks a destination as a person entered it. Every problem is a 400 naming the field. `isNew`:
 * a new Splunk destination needs its token; a webhook without a key gets one generated (shown once).
 */
export function parseDestinationInput(body: unknown, { isNew }: { isNew: boolean }): DestinationInput {
  const parsed = schema.safeParse(body);
  // The first problem only: the form shows one field's error at a time, as before.
  if (!parsed.success) throw invalidInput(zodIssues(parsed.error, DESTINATION_ISSUES, "body_invalid").slice(0, 1));
  const v = parsed.data;
  const input: DestinationInput = {
    name: v.name,
    kind: v.kind,
    url: null,
    host: null,
    port: null,
    tls: v.tls,
    tlsCa: v.tlsCa || null,
    format: v.format,
    batchSize: v.batchSize,
    operationTypes: [...new Set(v.operationTypes)],
    statuses: [...new Set(v.statuses)],
    customerIds: [...new Set(v.customerIds.map((id) => id.toLowerCase()))],
    enabled: v.enabled,
    secret: v.secret,
  };
  if (v.kind === "syslog") {
    if (!v.host) fail("host", "host_required");
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(v.host)) fail("host", "host_invalid");
    if (!reachable(v.host)) fail("host", "host_blocked");
    if (!v.port) fail("port", "port_required");
    input.host = v.host;
    input.port = v.port;
    input.secret = undefined;
  } else {
    if (!v.url) fail("url", v.kind === "webhook" ? "url_required_webhook" : "url_required_hec");
    let url: URL;
    try {
      url = new URL(v.url);
    } catch {
      fail("url", "url_invalid");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") fail("url", "url_invalid");
    if (url.username || url.password) fail("url", "url_credentials");
    if (!reachable(url.hostname)) fail("url", "url_blocked");
    input.url = url.toString();
    input.tls = url.protocol === "https:";
    input.tlsCa = null;
    if (v.kind === "webhook") {
      if (v.secret !== undefined && !WEBHOOK_SECRET.test(v.secret)) fail("secret", "secret_webhook_format");
      if (v.secret === undefined && isNew) input.secret = generateWebhookSecret();
    } else if (v.secret === undefined && isNew) {
      fail("secret", "secret_required_hec");
    }
  }
  return input;
}

/** What stands in for a hidden query value in a shown URL. */
export const HIDDEN_VALUE = "…";

/**
 * A destination URL as people and the log see it: query values hidden (receivers put tokens there,
 * e.g. `?token=`), names kept, so a token typed into the URL is no more visible than a secret.
 * The delivery worker alone reads the stored URL.
 */
export function shownUrl(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const hash = url.indexOf("#", at);
  const query = url.slice(at + 1, hash < 0 ? undefined : hash);
  const names = query
    .split("&")
    .filter(Boolean)
    .map((part) => (part.includes("=") ? `${part.slice(0, part.indexOf("="))}=${HIDDEN_VALUE}` : part));
  return `${url.slice(0, at)}${names.length ? `?${names.join("&")}` : ""}${hash < 0 ? "" : url.slice(hash)}`;
}

/** An edit that leaves the shown URL as it was keeps the stored one (with its hidden values). */
export function keepStoredUrl(body: unknown, storedUrl: string | null): unknown {
  if (!storedUrl || typeof body !== "object" || body === null) return body;
  const given = (body as { url?: unknown }).url;
  return typeof given === "string" && given.trim() === shownUrl(storedUrl) ? { ...body, url: storedUrl } : body;
}

/** A fresh Standard Webhooks signing key (32 random bytes). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** What the stored secret is for: binds the ciphertext to its purpose (lib/secret-box.ts). */
export const secretPurpose = (kind: StreamKind) => (kind === "webhook" ? "stream-webhook-key" : "stream-hec-token");
/** ...and to its row: tenant and destination. */
export const secretOwner = (tenantId: string, destinationId: string) => `${tenantId}/${destinationId}`;
