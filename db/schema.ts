import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/*
 * The data contract of DESIGN.md section 2. Every tenant table carries `tenant_id` so that
 * row-level security (db/migrations/0001_*) and a later Citus distribution key are the same column.
 * Enumerations are plain text with CHECK constraints in the migration: the operation type set is
 * open by design, and text keeps adding a status a one-line change.
 */

export const CLOUDS = ["commercial", "usgov"] as const;
export type Cloud = (typeof CLOUDS)[number];

export const PARTNER_ROLES = [
  "global_admin",
  "admin_agent",
  "sales_agent",
  "helpdesk_agent",
  "billing_admin",
] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const OPERATION_STATUSES = ["succeeded", "failed", "progress"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const partnerTenants = pgTable("partner_tenants", {
  id: uuid("id").primaryKey(),
  cloud: text("cloud").$type<Cloud>().notNull(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const partnerUsers = pgTable(
  "partner_users",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerTenants.id),
    userPrincipalName: text("user_principal_name").notNull(),
    displayName: text("display_name").notNull(),
    role: text("role").$type<PartnerRole>().notNull(),
  },
  (t) => [uniqueIndex("partner_users_tenant_upn_key").on(t.tenantId, t.userPrincipalName)],
);

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerTenants.id),
    companyName: text("company_name").notNull(),
    domain: text("domain").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("customers_tenant_name_idx").on(t.tenantId, t.companyName)],
);

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid("id").primaryKey(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => partnerTenants.id),
    offerName: text("offer_name").notNull(),
    quantity: integer("quantity").notNull(),
    status: text("status").notNull(),
    billingCycle: text("billing_cycle").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("subscriptions_tenant_customer_idx").on(t.tenantId, t.customerId, t.createdAt)],
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
    applicationId: text("application_id").notNull(),
    correlationId: uuid("correlation_id").notNull(),
  },
  (t) => [
    primaryKey({
      name: "activity_records_pkey",
      columns: [t.tenantId, t.occurredAt, t.id],
    }),
    index("activity_records_page_idx").on(t.tenantId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
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
  },
  (t) => [
    primaryKey({
      name: "activity_record_details_pkey",
      columns: [t.tenantId, t.occurredAt, t.recordId],
    }),
  ],
);

export type PartnerTenant = typeof partnerTenants.$inferSelect;
export type PartnerUser = typeof partnerUsers.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type ActivityRecord = typeof activityRecords.$inferSelect;
export type ActivityRecordDetails = typeof activityRecordDetails.$inferSelect;
