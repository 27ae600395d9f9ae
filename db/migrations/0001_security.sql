-- Contract checks that drizzle-kit does not generate.
ALTER TABLE "partner_tenants" ADD CONSTRAINT "partner_tenants_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
ALTER TABLE "partner_users" ADD CONSTRAINT "partner_users_role_check" CHECK ("role" IN ('global_admin', 'admin_agent', 'sales_agent', 'helpdesk_agent', 'billing_admin'));--> statement-breakpoint
ALTER TABLE "activity_records" ADD CONSTRAINT "activity_records_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
-- Keyset cursors travel through JavaScript Dates (millisecond precision): finer times would make
-- a cursor miss or repeat rows, so the log stores milliseconds.
ALTER TABLE "activity_records" ADD CONSTRAINT "activity_records_occurred_at_ms_check" CHECK ("occurred_at" = date_trunc('milliseconds', "occurred_at"));--> statement-breakpoint
ALTER TABLE "activity_records" ADD CONSTRAINT "activity_records_status_check" CHECK ("operation_status" IN ('succeeded', 'failed', 'progress'));--> statement-breakpoint

-- The tenant the current transaction acts for, set by withTenant() with set_config(..., true).
-- Unset or empty means "nobody": every policy below then matches no row.
CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.tenant_id', true), '')::uuid
$$;--> statement-breakpoint
CREATE FUNCTION app_cloud() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('app.cloud', true), '')
$$;--> statement-breakpoint

-- The role requests run as (SET LOCAL ROLE). It owns nothing, so it can neither disable RLS nor
-- alter tables; roles are cluster-wide, hence the existence check.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'activity_app') THEN
    CREATE ROLE activity_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  -- A non-superuser owner needs membership to SET ROLE (PostgreSQL 16+ no longer implies it).
  EXECUTE format('GRANT activity_app TO %I', current_user);
END
$$;--> statement-breakpoint

GRANT USAGE ON SCHEMA public TO activity_app;--> statement-breakpoint
GRANT SELECT ON partner_tenants, partner_users, customers, subscriptions, activity_records, activity_record_details TO activity_app;--> statement-breakpoint
GRANT INSERT ON customers, subscriptions, activity_records, activity_record_details TO activity_app;--> statement-breakpoint
GRANT USAGE ON SEQUENCE activity_records_id_seq TO activity_app;--> statement-breakpoint

-- Row-level security, forced so that even the owner is filtered unless it is a superuser.
ALTER TABLE partner_tenants ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_tenants FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON partner_tenants
  USING (id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint

ALTER TABLE partner_users ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE partner_users FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON partner_users
  USING (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id))
  WITH CHECK (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id));--> statement-breakpoint

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE customers FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON customers
  USING (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id))
  WITH CHECK (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id));--> statement-breakpoint

ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON subscriptions
  USING (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id))
  WITH CHECK (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id));--> statement-breakpoint

-- The log carries its cloud, so the check needs no join on the hot path.
ALTER TABLE activity_records ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_records FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON activity_records
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint

ALTER TABLE activity_record_details ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_record_details FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON activity_record_details
  USING (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id))
  WITH CHECK (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id));--> statement-breakpoint

-- Maintenance (seeding, partition upkeep, verification) runs as the owner across tenants. It must
-- say so explicitly (app.maintenance = on); requests switch to activity_app, which this policy never
-- names, so no request can reach it.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['partner_tenants', 'partner_users', 'customers', 'subscriptions', 'activity_records', 'activity_record_details'] LOOP
    EXECUTE format(
      'CREATE POLICY maintenance ON %I TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
      t, current_user);
  END LOOP;
END
$$;--> statement-breakpoint

-- Monthly partitions (UTC months) of both log tables, created ahead of time by maintenance.
CREATE FUNCTION ensure_activity_partitions(p_from timestamptz, p_to timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  m timestamptz := date_trunc('month', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  next_m timestamptz;
  created integer := 0;
  suffix text;
  parent text;
BEGIN
  WHILE m <= p_to LOOP
    next_m := (date_trunc('month', m AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    suffix := to_char(m AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
    FOREACH parent IN ARRAY ARRAY['activity_records', 'activity_record_details'] LOOP
      IF to_regclass(parent || '_' || suffix) IS NULL THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
          parent || '_' || suffix, parent, m, next_m);
        created := created + 1;
      END IF;
    END LOOP;
    m := next_m;
  END LOOP;
  RETURN created;
END
$$;
