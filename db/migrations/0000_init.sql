CREATE TABLE "activity_record_details" (
	"tenant_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"record_id" bigint NOT NULL,
	"resource_old_value" jsonb,
	"resource_new_value" jsonb,
	"customized_data" jsonb,
	CONSTRAINT "activity_record_details_pkey" PRIMARY KEY("tenant_id","occurred_at","record_id")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE "activity_records" (
	"id" bigserial NOT NULL,
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"customer_id" uuid,
	"customer_name" text,
	"operation_type" text NOT NULL,
	"resource_type" text NOT NULL,
	"operation_status" text NOT NULL,
	"user_principal_name" text NOT NULL,
	"application_id" text NOT NULL,
	"correlation_id" uuid NOT NULL,
	CONSTRAINT "activity_records_pkey" PRIMARY KEY("tenant_id","occurred_at","id")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"company_name" text NOT NULL,
	"domain" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_tenants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"cloud" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_principal_name" text NOT NULL,
	"display_name" text NOT NULL,
	"role" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"offer_name" text NOT NULL,
	"quantity" integer NOT NULL,
	"status" text NOT NULL,
	"billing_cycle" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_id_partner_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."partner_tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_users" ADD CONSTRAINT "partner_users_tenant_id_partner_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."partner_tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_tenant_id_partner_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."partner_tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_records_page_idx" ON "activity_records" USING btree ("tenant_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "customers_tenant_name_idx" ON "customers" USING btree ("tenant_id","company_name");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_users_tenant_upn_key" ON "partner_users" USING btree ("tenant_id","user_principal_name");--> statement-breakpoint
CREATE INDEX "subscriptions_tenant_customer_idx" ON "subscriptions" USING btree ("tenant_id","customer_id","created_at");