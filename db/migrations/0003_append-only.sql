-- Ingestion, append-only storage and seals: checks, grants, row-level security, triggers and the
-- API key lookup that drizzle-kit does not generate (tables and columns are in 0002).
ALTER TABLE "activity_ingest_events" ADD CONSTRAINT "activity_ingest_events_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
ALTER TABLE "activity_seals" ADD CONSTRAINT "activity_seals_cloud_check" CHECK ("cloud" IN ('commercial', 'usgov'));--> statement-breakpoint
ALTER TABLE "activity_seals" ADD CONSTRAINT "activity_seals_period_check" CHECK ("seq" >= 1 AND "period_start" < "period_end");--> statement-breakpoint
ALTER TABLE "activity_ingest_events" ADD CONSTRAINT "activity_ingest_events_occurred_at_ms_check" CHECK ("occurred_at" = date_trunc('milliseconds', "occurred_at"));--> statement-breakpoint

-- The request role may add to the log and read it, never change or remove it. UPDATE, DELETE and
-- TRUNCATE were never granted; revoking them here says so and survives a careless later GRANT ALL
-- in an older migration's place. Partitions carry no grants for the request role at all.
REVOKE UPDATE, DELETE, TRUNCATE ON activity_records, activity_record_details FROM PUBLIC, activity_app;--> statement-breakpoint
REVOKE ALL ON api_keys, activity_ingest_events, activity_seals FROM PUBLIC, activity_app;--> statement-breakpoint
GRANT SELECT, INSERT ON activity_ingest_events TO activity_app;--> statement-breakpoint
GRANT SELECT ON activity_seals TO activity_app;--> statement-breakpoint

-- Row-level security for the new tables, in 0001's style. api_keys has no grant for the request
-- role: requests find a key only through api_key_lookup() below.
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id))
  WITH CHECK (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM partner_tenants t WHERE t.id = tenant_id));--> statement-breakpoint

-- Idempotency keys and seals carry their cloud, so the check needs no join on the hot path.
ALTER TABLE activity_ingest_events ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_ingest_events FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON activity_ingest_events
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint

ALTER TABLE activity_seals ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_seals FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON activity_seals
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud())
  WITH CHECK (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['api_keys', 'activity_ingest_events', 'activity_seals'] LOOP
    EXECUTE format(
      'CREATE POLICY maintenance ON %I TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
      t, current_user);
  END LOOP;
END
$$;--> statement-breakpoint

-- An API key is looked up before any tenant is known, so no tenant_isolation policy can match it.
-- This function runs as its owner (the migration owner) with the maintenance switch on for its own
-- duration only (the SET clause is undone on return, nothing leaks into the caller's transaction),
-- and answers exactly one question: which unrevoked key, tenant and cloud does this hash belong
-- to. Knowing a hash requires knowing the key (256 random bits), so it reveals nothing a caller
-- does not already hold. search_path is pinned, as for every SECURITY DEFINER function.
CREATE FUNCTION api_key_lookup(p_key_hash text) RETURNS TABLE (key_id uuid, tenant_id uuid, cloud text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public
SET app.maintenance = 'on'
AS $$
  SELECT k.id, k.tenant_id, t.cloud
  FROM public.api_keys k JOIN public.partner_tenants t ON t.id = k.tenant_id
  WHERE k.key_hash = p_key_hash AND k.revoked_at IS NULL
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION api_key_lookup(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION api_key_lookup(text) TO activity_app;--> statement-breakpoint

-- Append-only, enforced by triggers as well as by privileges, so that even the owner cannot change
-- the log by accident. UPDATE is never allowed. DELETE and TRUNCATE are allowed only to the table's
-- owner (or a superuser) that has said `SET LOCAL app.retention = on` - the documented retention
-- job. DROP TABLE / DETACH PARTITION of an old partition (retention by month) fire no row or
-- truncate trigger and need ownership, which the request role never has.
CREATE FUNCTION activity_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE'
     AND current_setting('app.retention', true) = 'on'
     AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_roles r ON r.rolname = current_user
                 WHERE c.oid = TG_RELID AND (r.oid = c.relowner OR r.rolsuper)) THEN
    IF TG_LEVEL = 'ROW' THEN
      RETURN OLD;
    END IF;
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% on % is not allowed: the activity log is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Only the retention job (the owner, with app.retention = on) may delete or truncate.';
END
$$;--> statement-breakpoint

-- Row triggers on a partitioned table are cloned onto every partition, present and future.
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON activity_records
  FOR EACH ROW EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON activity_record_details
  FOR EACH ROW EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON activity_ingest_events
  FOR EACH ROW EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON activity_seals
  FOR EACH ROW EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON activity_records
  FOR EACH STATEMENT EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON activity_record_details
  FOR EACH STATEMENT EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON activity_ingest_events
  FOR EACH STATEMENT EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON activity_seals
  FOR EACH STATEMENT EXECUTE FUNCTION activity_log_append_only();--> statement-breakpoint

-- Statement triggers are not cloned onto partitions, and `TRUNCATE activity_records_y2026m05`
-- names a partition directly: every partition gets its own TRUNCATE trigger, now and whenever
-- ensure_activity_partitions creates one (idempotent; also covers partitions attached by hand).
CREATE FUNCTION protect_activity_partitions() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  part regclass;
  added integer := 0;
BEGIN
  FOR part IN
    SELECT p.relid FROM pg_partition_tree('activity_records') p WHERE p.level > 0
    UNION ALL
    SELECT p.relid FROM pg_partition_tree('activity_record_details') p WHERE p.level > 0
  LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'append_only_truncate') THEN
      EXECUTE format('CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION activity_log_append_only()', part);
      added := added + 1;
    END IF;
  END LOOP;
  RETURN added;
END
$$;--> statement-breakpoint
SELECT protect_activity_partitions();--> statement-breakpoint

-- Same contract as in 0001 (returns how many partitions it created), plus the protection above.
CREATE OR REPLACE FUNCTION ensure_activity_partitions(p_from timestamptz, p_to timestamptz) RETURNS integer
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
  PERFORM protect_activity_partitions();
  RETURN created;
END
$$;
