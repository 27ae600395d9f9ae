CREATE TABLE "activity_day_counts" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"operation_status" text,
	"operation_type" text,
	"day" date NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "activity_day_counts_key" UNIQUE NULLS NOT DISTINCT("tenant_id","cloud","operation_status","operation_type","day")
);
--> statement-breakpoint

-- Under row-level security like every tenant table: requests read their own tenant and cloud's
-- counts and have no write grant at all. The triggers below write as the owner (SECURITY DEFINER,
-- so an insert by the request role counts too) through the maintenance policy, which each of them
-- switches on for its own duration only (SET on the function, as api_key_lookup does): their rows
-- come from records that already passed the log's own policy, and a TRUNCATE, to which no policy
-- applies, must not leave counts behind because the caller forgot the setting.
ALTER TABLE activity_day_counts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_day_counts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON activity_day_counts
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format(
    'CREATE POLICY maintenance ON activity_day_counts TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
    current_user);
END
$$;--> statement-breakpoint
GRANT SELECT ON activity_day_counts TO activity_app;--> statement-breakpoint

-- One statement's new records, counted per tenant, cloud and UTC day four ways at once: CUBE gives
-- (status, action), (status), (action) and () with NULL for "any" (the log's columns are NOT NULL,
-- so a NULL here can mean nothing else). Rows are upserted in key order, so two transactions
-- counting into the same days take their row locks in the same order and cannot deadlock.
CREATE FUNCTION activity_day_counts_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET app.maintenance = 'on' AS $$
BEGIN
  INSERT INTO public.activity_day_counts AS c (tenant_id, cloud, operation_status, operation_type, day, records)
  SELECT tenant_id, cloud, s, t, day, count(*)
  FROM (SELECT tenant_id, cloud, operation_status AS s, operation_type AS t, (occurred_at AT TIME ZONE 'UTC')::date AS day
        FROM added) a
  GROUP BY tenant_id, cloud, day, CUBE (s, t)
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT activity_day_counts_key DO UPDATE SET records = c.records + excluded.records;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- A statement trigger on the parent sees the rows of every partition (transition tables); the log
-- is only ever written through the parent.
CREATE TRIGGER day_counts_add AFTER INSERT ON activity_records
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION activity_day_counts_add();--> statement-breakpoint

-- Records only leave by the retention job (append_only allows nothing else). A DELETE takes each
-- record off its four counts: a row trigger, because row triggers are cloned onto every partition
-- and a DELETE may name one.
CREATE FUNCTION activity_day_counts_remove() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET app.maintenance = 'on' AS $$
BEGIN
  UPDATE public.activity_day_counts SET records = records - 1
  WHERE tenant_id = OLD.tenant_id AND cloud = OLD.cloud
    AND (operation_status IS NULL OR operation_status = OLD.operation_status)
    AND (operation_type IS NULL OR operation_type = OLD.operation_type)
    AND day = (OLD.occurred_at AT TIME ZONE 'UTC')::date;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER day_counts_remove AFTER DELETE ON activity_records
  FOR EACH ROW EXECUTE FUNCTION activity_day_counts_remove();--> statement-breakpoint

-- TRUNCATE of the log forgets its counts; of one monthly partition, the counts of that month. A
-- partition whose range cannot be read (a DEFAULT one) forgets them all: a missing count only
-- means the page counts the log itself, a stale one would show "10,000+" wrongly.
CREATE FUNCTION activity_day_counts_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET app.maintenance = 'on' AS $$
DECLARE
  bound text[];
BEGIN
  IF TG_RELID <> 'activity_records'::regclass THEN
    SELECT regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\) TO \(''([^'']+)''\)')
      INTO bound FROM pg_class c WHERE c.oid = TG_RELID;
  END IF;
  IF bound IS NULL THEN
    DELETE FROM public.activity_day_counts;
  ELSE
    DELETE FROM public.activity_day_counts
    WHERE day >= (bound[1]::timestamptz AT TIME ZONE 'UTC')::date AND day < (bound[2]::timestamptz AT TIME ZONE 'UTC')::date;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER day_counts_truncated AFTER TRUNCATE ON activity_records
  FOR EACH STATEMENT EXECUTE FUNCTION activity_day_counts_truncated();--> statement-breakpoint

-- As in 0003, plus the truncate trigger above on every partition of the log (statement triggers are
-- not cloned onto partitions); ensure_activity_partitions calls this for each month it creates.
CREATE OR REPLACE FUNCTION protect_activity_partitions() RETURNS integer LANGUAGE plpgsql AS $$
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
  FOR part IN SELECT p.relid FROM pg_partition_tree('activity_records') p WHERE p.level > 0 LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = part AND tgname = 'day_counts_truncated') THEN
      EXECUTE format('CREATE TRIGGER day_counts_truncated AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION activity_day_counts_truncated()', part);
    END IF;
  END LOOP;
  RETURN added;
END
$$;--> statement-breakpoint
SELECT protect_activity_partitions();--> statement-breakpoint

-- Counts the log afresh: the backfill below, and the repair after a partition was detached or
-- dropped by hand rather than by the retention job (DDL fires no trigger). The owner runs it under
-- the maintenance policy. The table lock makes concurrent inserts wait for the recount: their
-- triggers then add to the fresh counts, and no record is counted twice or missed. (Retention
-- takes its lock on this table first too, so the two cannot deadlock.) pg_temp last: a temporary
-- table cannot stand in for the real one.
CREATE FUNCTION rebuild_activity_day_counts() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  written bigint;
BEGIN
  IF current_setting('app.maintenance', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'rebuild_activity_day_counts() reads every tenant: run it with app.maintenance = on'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  LOCK TABLE public.activity_day_counts IN EXCLUSIVE MODE;
  DELETE FROM public.activity_day_counts;
  INSERT INTO public.activity_day_counts (tenant_id, cloud, operation_status, operation_type, day, records)
  SELECT tenant_id, cloud, s, t, day, count(*)
  FROM (SELECT tenant_id, cloud, operation_status AS s, operation_type AS t, (occurred_at AT TIME ZONE 'UTC')::date AS day
        FROM public.activity_records) a
  GROUP BY tenant_id, cloud, day, CUBE (s, t);
  GET DIAGNOSTICS written = ROW_COUNT;
  RETURN written;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION rebuild_activity_day_counts() FROM PUBLIC;--> statement-breakpoint

SELECT set_config('app.maintenance', 'on', true);--> statement-breakpoint
SELECT rebuild_activity_day_counts();--> statement-breakpoint
SELECT set_config('app.maintenance', '', true);
