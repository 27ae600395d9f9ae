-- Saved views of the Activity log: a name for a set of filters (the log's own query string, as
-- lib/activity-log-params.ts writes it), kept per partner user, optionally shared with everyone of
-- the tenant in that cloud; and each user's default, the view the log opens with when its address
-- names no filter. A user's key is the lower-case UPN (as user_key is on the log).
CREATE TABLE "saved_views" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"id" uuid NOT NULL,
	"owner_key" text NOT NULL,
	"owner_principal_name" text NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_views_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "saved_views_cloud_key" UNIQUE("tenant_id","cloud","id"),
	CONSTRAINT "saved_views_name_key" UNIQUE("tenant_id","cloud","owner_key","name")
);
--> statement-breakpoint
CREATE TABLE "saved_view_defaults" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"user_key" text NOT NULL,
	"view_id" uuid NOT NULL,
	CONSTRAINT "saved_view_defaults_pkey" PRIMARY KEY("tenant_id","cloud","user_key")
);
--> statement-breakpoint
ALTER TABLE "saved_view_defaults" ADD CONSTRAINT "saved_view_defaults_view_fk" FOREIGN KEY ("tenant_id","cloud","view_id") REFERENCES "public"."saved_views"("tenant_id","cloud","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "saved_view_defaults_view_idx" ON "saved_view_defaults" USING btree ("tenant_id","view_id");--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_owner_key_check" CHECK ("owner_key" = lower("owner_principal_name"));--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_name_check" CHECK (char_length("name") BETWEEN 1 AND 80);--> statement-breakpoint
ALTER TABLE "saved_views" ADD CONSTRAINT "saved_views_query_check" CHECK (char_length("query") <= 8000);--> statement-breakpoint
ALTER TABLE "saved_view_defaults" ADD CONSTRAINT "saved_view_defaults_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint

GRANT SELECT, INSERT, UPDATE, DELETE ON saved_views TO activity_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON saved_view_defaults TO activity_app;--> statement-breakpoint

ALTER TABLE saved_views ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE saved_views FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON saved_views
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
ALTER TABLE saved_view_defaults ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE saved_view_defaults FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON saved_view_defaults
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['saved_views', 'saved_view_defaults'] LOOP
    EXECUTE format(
      'CREATE POLICY maintenance ON %I TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
      t, current_user);
  END LOOP;
END
$$;
