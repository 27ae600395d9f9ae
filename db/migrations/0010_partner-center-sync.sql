CREATE TABLE "partner_center_connections" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"cloud" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret" text NOT NULL,
	"refresh_token" text,
	"base_url" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_success_at" timestamp with time zone,
	"last_run_stored" integer DEFAULT 0 NOT NULL,
	"total_stored" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"next_run_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "partner_center_sync_days" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"cloud" text NOT NULL,
	"completed_at" timestamp with time zone NOT NULL,
	"records" integer NOT NULL,
	CONSTRAINT "partner_center_sync_days_pkey" PRIMARY KEY("tenant_id","day")
);
--> statement-breakpoint
ALTER TABLE "partner_center_connections" ADD CONSTRAINT "partner_center_connections_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."partner_tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_center_sync_days" ADD CONSTRAINT "partner_center_sync_days_connection_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."partner_center_connections"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_center_connections" ADD CONSTRAINT "partner_center_connections_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
ALTER TABLE "partner_center_sync_days" ADD CONSTRAINT "partner_center_sync_days_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
-- Global admins configure their tenant's connection through requests; the sync writes its status.
GRANT SELECT, INSERT, UPDATE, DELETE ON partner_center_connections TO activity_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON partner_center_sync_days TO activity_app;--> statement-breakpoint
ALTER TABLE partner_center_connections ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_center_connections FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_center_sync_days ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_center_sync_days FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON partner_center_connections
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
CREATE POLICY tenant_isolation ON partner_center_sync_days
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format(
    'CREATE POLICY maintenance ON partner_center_connections TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
    current_user);
  EXECUTE format(
    'CREATE POLICY maintenance ON partner_center_sync_days TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
    current_user);
END
$$;
