CREATE TABLE "activity_ingest_events" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"event_id" text NOT NULL,
	"payload_hash" text NOT NULL,
	"record_id" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_ingest_events_pkey" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "activity_seals" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"seq" integer NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"row_count" bigint NOT NULL,
	"parts" jsonb NOT NULL,
	"prev_hash" text,
	"hash" text NOT NULL,
	"sealed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_seals_pkey" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "activity_records" ADD COLUMN "recorded_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_partner_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."partner_tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_idx" ON "api_keys" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "activity_records_recorded_idx" ON "activity_records" USING btree ("tenant_id","recorded_at","id");