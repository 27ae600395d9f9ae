CREATE TABLE "user_sessions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"user_agent" text,
	CONSTRAINT "user_sessions_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."partner_users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("tenant_id","user_id");--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
-- Requests create, check, touch and end their tenant's sessions as the request role.
GRANT SELECT, INSERT, DELETE ON user_sessions TO activity_app;--> statement-breakpoint
GRANT UPDATE (last_seen_at) ON user_sessions TO activity_app;--> statement-breakpoint
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE user_sessions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON user_sessions
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format(
    'CREATE POLICY maintenance ON user_sessions TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
    current_user);
END
$$;
