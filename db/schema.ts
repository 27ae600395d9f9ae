import {
  bigint,
  boolean,
  foreignKey,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

import type {
  ApiKeyScope,
  Cloud,
  OperationStatus,
  PartnerRole,
  SealPart,
  StreamFormat,
  StreamKind,
} from "@/lib/domain";

/*
 * The data contract (README, "Recording activity"). Every tenant table carries `tenant_id` so that
 * row-level security (db/migrations/0001_*) and a later Citus distribution key are the same column.
 * The enumerations' values live in lib/domain.ts.
 */

export const partnerTenants = pgTable("partner_tenants", {
  id: uuid("id").primaryKey(),
  cloud: text("cloud").$type<Cloud>().notNull(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const partnerUsers = pgTable(
  "partner_users",
  {
    id: uuid("id").notNull(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerTenants.id),
    userPrincipalName: text("user_principal_name").notNull(),
    displayName: text("display_name").notNull(),
    role: text("role").$type<PartnerRole>().notNull(),
  },
  (t) => [
    // Keys lead with tenant_id so the table can be distributed by tenant (docs/scaling.md).
    primaryKey({ name: "partner_users_pkey", columns: [t.tenantId, t.id] }),
    uniqueIndex("partner_users_tenant_upn_key").on(t.tenantId, t.userPrincipalName),
  ],
);

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").notNull(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerTenants.id),
    companyName: text("company_name").notNull(),
    domain: text("domain").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "customers_pkey", columns: [t.tenantId, t.id] }),
    index("customers_tenant_name_idx").on(t.tenantId, t.companyName),
  ],
);

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid("id").notNull(),
    customerId: uuid("customer_id").notNull(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerTenants.id),
    offerName: text("offer_name").notNull(),
    quantity: integer("quantity").notNull(),
    status: text("status").notNull(),
    billingCycle: text("billing_cycle").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "subscriptions_pkey", columns: [t.tenantId, t.id] }),
    // A customer's subscriptions belong to the same tenant: the key says so.
    foreignKey({
      name: "subscriptions_customer_fk",
      columns: [t.tenantId, t.customerId],
      foreignColumns: [customers.tenantId, customers.id],
    }),
    index("subscriptions_tenant_customer_idx").on(t.tenantId, t.customerId, t.createdAt),
  ],
);

/*
 * The log. Range-partitioned by month on `occurred_at` (the migration adds PARTITION BY, which
 * drizzle-kit cannot express), so the primary key must hold the partition column; it holds
 * `tenant_id` first for a later distribution by tenant. No foreign keys: a record outlives the
 * customer it names, and the name at the time is kept in `customer_name`.
 */
export const activityRecords = pgTable(
  "activity_records",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    customerId: uuid("customer_id"),
    customerName: text("customer_name"),
    operationType: text("operation_type").notNull(),
    resourceType: text("resource_type").notNull(),
    operationStatus: text("operation_status").$type<OperationStatus>().notNull(),
    userPrincipalName: text("user_principal_name").notNull(),
    /*
     * The user filter's key: UPNs compare case-insensitively. Stored, not computed in the query:
     * under row-level security a qual calling the non-leakproof lower() on a column cannot be an
     * index condition, so `lower(user_principal_name) = ...` filtered every row of the range.
     */
    userKey: text("user_key").generatedAlwaysAs(sql`lower(user_principal_name)`),
    /*
     * The search box's key: the customer name folded for case, accents and width (NFKC, unaccent,
     * lower; activity_search_fold in migration 0011). Stored for the same reason as user_key:
     * under row-level security a qual calling a non-leakproof function on a column (the fold, or
     * LIKE) cannot be an index condition, while `=` and `>` on this column can.
     */
    customerKey: text("customer_key").generatedAlwaysAs(sql`activity_search_fold(customer_name)`),
    applicationId: text("application_id").notNull(),
    correlationId: uuid("correlation_id").notNull(),
    /*
     * When the row was stored (the inserting transaction's start). Seals cover periods of this
     * time, not of `occurred_at`, so a late record with an old `occurred_at` lands in the current
     * unsealed period instead of looking like an insertion into a sealed one.
     */
    recordedAt: timestamp("recorded_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({
      name: "activity_records_pkey",
      columns: [t.tenantId, t.occurredAt, t.id],
    }),
    /*
     * The page's indexes: one per filter the page offers on a closed set of values, each ending in
     * the page's order, so a filtered page starts at its first row and the capped count walks only
     * matching entries. Migration 0005 adds `INCLUDE (cloud)` to each (drizzle-kit cannot express
     * INCLUDE): the row-level-security check reads `cloud`, and with it in the index the count is
     * an index-only scan that never visits the heap. Migration 0009 includes `operation_type` in
     * the page, status and user indexes too, for the default exclusion of the log's own access
     * records (the action index has it as a key). Migration 0014 includes `operation_status` in
     * the user index as well, so users with statuses count index-only too.
     */
    index("activity_records_page_idx").on(t.tenantId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("activity_records_status_idx").on(
      t.tenantId,
      t.operationStatus,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("activity_records_action_idx").on(
      t.tenantId,
      t.operationType,
      t.operationStatus,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("activity_records_user_idx").on(
      t.tenantId,
      t.userKey,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // The search box and the correlation filter (migration 0011, which also INCLUDEs cloud and operation_type).
    index("activity_records_customer_key_idx").on(
      t.tenantId,
      t.customerKey,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("activity_records_customer_idx").on(
      t.tenantId,
      t.customerId,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("activity_records_correlation_idx").on(
      t.tenantId,
      t.correlationId,
      t.occurredAt.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Sealing and verification read a tenant's rows by ingestion period in a fixed order.
    index("activity_records_recorded_idx").on(t.tenantId, t.recordedAt, t.id),
  ],
);

/*
 * The large part of a record, one-to-one, read only when a row is expanded or exported. Same
 * partitioning and key prefix as the log so a partition-wise join stays local.
 */
export const activityRecordDetails = pgTable(
  "activity_record_details",
  {
    tenantId: uuid("tenant_id").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    recordId: bigint("record_id", { mode: "number" }).notNull(),
    resourceOldValue: jsonb("resource_old_value"),
    resourceNewValue: jsonb("resource_new_value"),
    customizedData: jsonb("customized_data"),
    /*
     * The record exactly as an outside source sent it (a Partner Center AuditRecord), fields we do
     * not model and its original operationDate string included; null for our own records.
     */
    sourceRecord: jsonb("source_record"),
    /*
     * For the search box, stored so that an equality on them is an index condition under
     * row-level security (see customer_key): the subscription or order the record is about, and
     * the folded company name of a record that names a company but no customer id (an "Add
     * customer" that created none).
     */
    resourceKey: uuid("resource_key").generatedAlwaysAs(
      sql`activity_uuid_or_null(coalesce(resource_new_value->>'subscriptionId', resource_new_value->>'orderId', resource_old_value->>'subscriptionId'))`,
    ),
    attemptedCustomerKey: text("attempted_customer_key").generatedAlwaysAs(
      sql`CASE WHEN NOT (resource_new_value ? 'customerId') THEN activity_search_fold(resource_new_value->>'companyName') END`,
    ),
  },
  (t) => [
    primaryKey({
      name: "activity_record_details_pkey",
      columns: [t.tenantId, t.occurredAt, t.recordId],
    }),
    // Partial, with INCLUDE columns in migration 0011.
    index("activity_record_details_resource_key_idx").on(t.tenantId, t.resourceKey),
    index("activity_record_details_attempted_customer_idx").on(t.tenantId, t.attemptedCustomerKey, t.occurredAt),
  ],
);

/*
 * How many records each tenant has per UTC day, in all and by status, action and both (NULL in a
 * column means "any"), kept by statement triggers on the log (migration 0006). The page's count
 * adds up the days wholly inside its range: when that alone passes the cap it shows "10,000+"
 * without reading the log. A lower bound by construction (partial days are left out), so it can
 * only ever spare work, never change an answer that is shown exactly.
 */
export const activityDayCounts = pgTable(
  "activity_day_counts",
  {
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    operationStatus: text("operation_status").$type<OperationStatus>(),
    operationType: text("operation_type"),
    day: date("day", { mode: "string" }).notNull(),
    records: bigint("records", { mode: "number" }).notNull(),
  },
  (t) => [
    // The lookup's order: one tenant, one status/action pair, a range of days.
    unique("activity_day_counts_key")
      .on(t.tenantId, t.cloud, t.operationStatus, t.operationType, t.day)
      .nullsNotDistinct(),
  ],
);

/*
 * The same counts per partner user (user_key = lower(user_principal_name), as on the log), kept by
 * the same triggers (migration 0015), so the count of a partner-user filter can answer "10,000+"
 * from them too.
 */
export const activityUserDayCounts = pgTable(
  "activity_user_day_counts",
  {
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    userKey: text("user_key").notNull(),
    operationStatus: text("operation_status").$type<OperationStatus>(),
    operationType: text("operation_type"),
    day: date("day", { mode: "string" }).notNull(),
    records: bigint("records", { mode: "number" }).notNull(),
  },
  (t) => [
    unique("activity_user_day_counts_key")
      .on(t.tenantId, t.cloud, t.userKey, t.operationStatus, t.operationType, t.day)
      .nullsNotDistinct(),
  ],
);

/*
 * The tenant's customer names (customer_key, folded) per UTC month, with how many records name
 * them, kept by the same triggers (migration 0016): the search box resolves a name from these rows
 * instead of walking the records' name index.
 */
export const activityCustomerNameMonths = pgTable(
  "activity_customer_name_months",
  {
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    month: date("month", { mode: "string" }).notNull(),
    customerKey: text("customer_key").notNull(),
    records: bigint("records", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "activity_customer_name_months_pkey", columns: [t.tenantId, t.cloud, t.month, t.customerKey] }),
  ],
);

/*
 * Per-tenant API keys for the ingestion API. Only a SHA-256 of the key is stored (the key is 256
 * random bits, so a fast hash is enough); `key_prefix` lets people tell keys apart. Requests find a
 * key through the SECURITY DEFINER function api_key_lookup() (db/migrations/0003_*), never by
 * reading this table, which the request role has no grant on.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerTenants.id),
    name: text("name").notNull(),
    keyPrefix: text("key_prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    /** What the key may do: `ingest` (write records) and/or `read` (the Partner Center–compatible read API). */
    scopes: text("scopes")
      .array()
      .$type<ApiKeyScope[]>()
      .notNull()
      .default(sql`'{ingest}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_keys_key_hash_key").on(t.keyHash), index("api_keys_tenant_idx").on(t.tenantId, t.createdAt)],
);

/*
 * Idempotency of ingestion: one row per producer-chosen event id and tenant, with a hash of the
 * payload and the record it became, so a retry answers with the same id and a reused id with a
 * different payload is refused. Written in the same statement as the record.
 */
export const activityIngestEvents = pgTable(
  "activity_ingest_events",
  {
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    eventId: text("event_id").notNull(),
    payloadHash: text("payload_hash").notNull(),
    recordId: bigint("record_id", { mode: "number" }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "activity_ingest_events_pkey", columns: [t.tenantId, t.eventId] })],
);

/*
 * Tamper evidence: one seal per tenant and ingestion period (by `recorded_at`), a hash over the
 * period's rows in a fixed order, chained to the previous seal's hash (lib/seal/canonical.ts, db/seals/).
 */

export const activitySeals = pgTable(
  "activity_seals",
  {
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    seq: integer("seq").notNull(),
    periodStart: timestamp("period_start", { withTimezone: true, mode: "date" }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true, mode: "date" }).notNull(),
    rowCount: bigint("row_count", { mode: "number" }).notNull(),
    parts: jsonb("parts").$type<SealPart[]>().notNull(),
    prevHash: text("prev_hash"),
    hash: text("hash").notNull(),
    sealedAt: timestamp("sealed_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "activity_seals_pkey", columns: [t.tenantId, t.seq] })],
);

/*
 * Server-side sign-in sessions. The session cookie (an encrypted Auth.js JWT) carries only this
 * row's id; every request checks the row, so signing out, an idle or absolute timeout, or an
 * admin's "end session" ends every copy of the cookie at once. A user removed from the directory
 * takes their sessions along (the foreign key cascades).
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    tenantId: uuid("tenant_id").notNull(),
    id: uuid("id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    userId: uuid("user_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }).notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [
    primaryKey({ name: "user_sessions_pkey", columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "user_sessions_user_fk",
      columns: [t.tenantId, t.userId],
      foreignColumns: [partnerUsers.tenantId, partnerUsers.id],
    }).onDelete("cascade"),
    index("user_sessions_user_idx").on(t.tenantId, t.userId),
  ],
);

/*
 * A tenant's connection to the Partner Center API of its own cloud, which the sync reads audit
 * records through. The client secret and refresh token are sealed with lib/secret-box.ts (bound
 * to the tenant), never stored or shown in clear. The rest is the sync's status for the page.
 */
export const partnerCenterConnections = pgTable("partner_center_connections", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => partnerTenants.id, { onDelete: "cascade" }),
  cloud: text("cloud").$type<Cloud>().notNull(),
  clientId: text("client_id").notNull(),
  clientSecret: text("client_secret").notNull(),
  refreshToken: text("refresh_token"),
  baseUrl: text("base_url").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  lastRunAt: timestamp("last_run_at", { withTimezone: true, mode: "date" }),
  lastSuccessAt: timestamp("last_success_at", { withTimezone: true, mode: "date" }),
  lastRunStored: integer("last_run_stored").notNull().default(0),
  totalStored: bigint("total_stored", { mode: "number" }).notNull().default(0),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at", { withTimezone: true, mode: "date" }),
  nextRunAt: timestamp("next_run_at", { withTimezone: true, mode: "date" }),
});

/*
 * The sync's checkpoints: a UTC day is here only once every page of it was stored, so a run that
 * stops anywhere resumes at the first day not here and leaves no gap.
 */
export const partnerCenterSyncDays = pgTable(
  "partner_center_sync_days",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerCenterConnections.tenantId, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }).notNull(),
    records: integer("records").notNull(),
  },
  (t) => [primaryKey({ name: "partner_center_sync_days_pkey", columns: [t.tenantId, t.day] })],
);

/*
 * Log streaming (migration 0012): where a tenant's records are pushed (a signed webhook, a Splunk
 * HTTP Event Collector, syslog over TCP/TLS) and in which format, with optional filters (an empty
 * filter matches every record). `secret` is the webhook signing key or the HEC token, encrypted
 * with lib/secret-box.ts, never shown again. The rest is delivery state the worker keeps.
 */

export const streamDestinations = pgTable(
  "stream_destinations",
  {
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    id: uuid("id").notNull(),
    name: text("name").notNull(),
    kind: text("kind").$type<StreamKind>().notNull(),
    /** webhook and splunk_hec. */
    url: text("url"),
    /** syslog. */
    host: text("host"),
    port: integer("port"),
    tls: boolean("tls").notNull().default(false),
    /** PEM certificates to trust for a syslog TLS receiver on a private CA (not a secret). */
    tlsCa: text("tls_ca"),
    format: text("format").$type<StreamFormat>().notNull().default("json"),
    /** Records per request; 1 sends one event per webhook request instead of NDJSON. */
    batchSize: integer("batch_size").notNull().default(100),
    operationTypes: text("operation_types")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    statuses: text("statuses")
      .array()
      .$type<OperationStatus[]>()
      .notNull()
      .default(sql`'{}'::text[]`),
    customerIds: uuid("customer_ids")
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    secret: text("secret"),
    /** Off: nothing is queued. Paused (paused_at): records queue, nothing is sent. */
    enabled: boolean("enabled").notNull().default(true),
    pausedAt: timestamp("paused_at", { withTimezone: true, mode: "date" }),
    pausedReason: text("paused_reason"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    deliveredCount: bigint("delivered_count", { mode: "number" }).notNull().default(0),
    lastError: text("last_error"),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true, mode: "date" }),
    lastDeliveredAt: timestamp("last_delivered_at", { withTimezone: true, mode: "date" }),
    /*
     * Which worker serves the destination, until when: several instances take turns, one at a
     * time, and a worker that died frees it when the lease runs out. A lease, not a lock held by
     * an open transaction, so no transaction stays open while a receiver is being waited on.
     */
    leaseOwner: uuid("lease_owner"),
    leaseUntil: timestamp("lease_until", { withTimezone: true, mode: "date" }),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "stream_destinations_pkey", columns: [t.tenantId, t.id] }),
    // The outbox's foreign key names the cloud too (the sovereign boundary in the schema).
    unique("stream_destinations_cloud_key").on(t.tenantId, t.cloud, t.id),
    index("stream_destinations_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.enabled} and ${t.pausedAt} is null`),
  ],
);

/*
 * What each destination still has to receive: one row per (destination, record), written by a
 * trigger on the log in the record's own transaction (migration 0012), deleted once the receiver
 * acknowledged it. Delivered oldest first (by `id`).
 */
export const streamOutbox = pgTable(
  "stream_outbox",
  {
    tenantId: uuid("tenant_id").notNull(),
    cloud: text("cloud").$type<Cloud>().notNull(),
    destinationId: uuid("destination_id").notNull(),
    id: bigserial("id", { mode: "number" }).notNull(),
    recordId: bigint("record_id", { mode: "number" }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    enqueuedAt: timestamp("enqueued_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "stream_outbox_pkey", columns: [t.tenantId, t.destinationId, t.id] }),
    unique("stream_outbox_record_key").on(t.tenantId, t.destinationId, t.recordId),
    foreignKey({
      name: "stream_outbox_destination_fk",
      columns: [t.tenantId, t.cloud, t.destinationId],
      foreignColumns: [streamDestinations.tenantId, streamDestinations.cloud, streamDestinations.id],
    }).onDelete("cascade"),
  ],
);

export type PartnerTenant = typeof partnerTenants.$inferSelect;
export type PartnerUser = typeof partnerUsers.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type ActivityRecord = typeof activityRecords.$inferSelect;
export type ActivityRecordDetails = typeof activityRecordDetails.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type ActivityIngestEvent = typeof activityIngestEvents.$inferSelect;
export type ActivitySeal = typeof activitySeals.$inferSelect;
export type ActivityDayCount = typeof activityDayCounts.$inferSelect;
export type UserSession = typeof userSessions.$inferSelect;
export type StreamDestination = typeof streamDestinations.$inferSelect;
export type StreamOutboxRow = typeof streamOutbox.$inferSelect;
