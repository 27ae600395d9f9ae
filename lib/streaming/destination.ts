import { randomBytes } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";
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

const list = <T extends z.ZodTypeAny>(item: T) => z.array(item).max(200).default([]);

const schema = z.object({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  kind: z.enum(STREAM_KINDS, { message: `must be one of ${STREAM_KINDS.join(", ")}` }),
  url: z.string().trim().max(2000).nullish(),
  host: z.string().trim().max(255).nullish(),
  port: z.coerce.number().int().min(1).max(65535).nullish(),
  tls: z.boolean().default(false),
  tlsCa: z.string().trim().max(20_000).nullish(),
  format: z.enum(STREAM_FORMATS, { message: `must be one of ${STREAM_FORMATS.join(", ")}` }).default("json"),
  batchSize: z.coerce.number().int().min(1).max(1000).default(100),
  operationTypes: list(z.string().trim().min(1).max(200)),
  statuses: list(z.enum(OPERATION_STATUSES, { message: `must be one of ${OPERATION_STATUSES.join(", ")}` })),
  customerIds: list(z.uuid({ message: "must be customer ids (UUIDs)" })),
  enabled: z.boolean().default(true),
  secret: z.string().trim().min(1).max(500).optional(),
});

const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

function fail(field: string, message: string): never {
  throw new AppError("bad_request", `${field} ${message}`, { errors: [{ field, message }] });
}

/**
 * Checks a destination as a person entered it. Every problem is a 400 naming the field. `isNew`:
 * a new Splunk destination needs its token; a webhook without a key gets one generated (shown once).
 */
export function parseDestinationInput(body: unknown, { isNew }: { isNew: boolean }): DestinationInput {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(issue.path.join(".") || "body", issue.message);
  }
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
    if (!v.host) fail("host", "is required for a syslog destination");
    if (!/^[A-Za-z0-9.:[\]-]+$/.test(v.host)) fail("host", "must be a host name or IP address");
    if (!v.port) fail("port", "is required for a syslog destination");
    input.host = v.host;
    input.port = v.port;
    input.secret = undefined;
  } else {
    if (!v.url) fail("url", `is required for a ${v.kind === "webhook" ? "webhook" : "Splunk HEC"} destination`);
    let url: URL;
    try {
      url = new URL(v.url);
    } catch {
      fail("url", "must be an absolute http:// or https:// URL");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") fail("url", "must be an http:// or https:// URL");
    if (url.username || url.password) fail("url", "must not carry a user name or password (use the secret)");
    input.url = url.toString();
    input.tls = url.protocol === "https:";
    input.tlsCa = null;
    if (v.kind === "webhook") {
      if (v.secret !== undefined && !WEBHOOK_SECRET.test(v.secret))
        fail("secret", "must be a Standard Webhooks key: whsec_ followed by base64 (at least 24 bytes)");
      if (v.secret === undefined && isNew) input.secret = generateWebhookSecret();
    } else if (v.secret === undefined && isNew) {
      fail("secret", "is required: the Splunk HEC token");
    }
  }
  return input;
}

/** A fresh Standard Webhooks signing key (32 random bytes). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** What the stored secret is for: binds the ciphertext to its purpose (lib/secret-box.ts). */
export const secretPurpose = (kind: StreamKind) => (kind === "webhook" ? "stream-webhook-key" : "stream-hec-token");
/** ...and to its row: tenant and destination. */
export const secretOwner = (tenantId: string, destinationId: string) => `${tenantId}/${destinationId}`;
