-- Per-day counts by partner user, beside those of 0006 (which have no user): the page's count with
-- a partner-user filter answers "10,000+" from them instead of reading up to 10,001 index entries.
-- user_key is lower(user_principal_name), as on the log. Within a user, status and action are
-- counted four ways as in 0006 (NULL = any), so any mix of the three filters reads one row per
-- user, day and chosen status/action.
CREATE TABLE "activity_user_day_counts" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"user_key" text NOT NULL,
	"operation_status" text,
	"operation_type" text,
	"day" date NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "activity_user_day_counts_key" UNIQUE NULLS NOT DISTINCT("tenant_id","cloud","user_key","operation_status","operation_type","day")
);
--> statement-breakpoint

-- The same security as activity_day_counts: requests read their own tenant and cloud's rows and
-- cannot write; the triggers write as the owner under the maintenance policy.
ALTER TABLE activity_user_day_counts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_user_day_counts FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON activity_user_day_counts
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format(
    'CREATE POLICY maintenance ON activity_user_day_counts TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
    current_user);
END
$$;--> statement-breakpoint
GRANT SELECT ON activity_user_day_counts TO activity_app;--> statement-breakpoint

-- The existing triggers keep both tables, so every way records arrive or leave (insert, retention
-- DELETE, TRUNCATE of a month or of the log, a recount) counts both alike. Key order again for
-- the upserts, so concurrent statements take row locks in one order.
CREATE OR REPLACE FUNCTION activity_day_counts_add() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET app.maintenance = 'on' AS $$
BEGIN
  INSERT INTO public.activity_day_counts AS c (tenant_id, cloud, operation_status, operation_type, day, records)
  SELECT tenant_id, cloud, s, t, day, count(*)
  FROM (SELECT tenant_id, cloud, operation_status AS s, operation_type AS t, (occurred_at AT TIME ZONE 'UTC')::date AS day
        FROM added) a
  GROUP BY tenant_id, cloud, day, CUBE (s, t)
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ON CONSTRAINT activity_day_counts_key DO UPDATE SET records = c.records + excluded.records;
  INSERT INTO public.activity_user_day_counts AS c (tenant_id, cloud, user_key, operation_status, operation_type, day, records)
  SELECT tenant_id, cloud, u, s, t, day, count(*)
  FROM (SELECT tenant_id, cloud, lower(user_principal_name) AS u, operation_status AS s, operation_type AS t,
               (occurred_at AT TIME ZONE 'UTC')::date AS day
        FROM added) a
  GROUP BY tenant_id, cloud, u, day, CUBE (s, t)
  ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ON CONSTRAINT activity_user_day_counts_key DO UPDATE SET records = c.records + excluded.records;
  RETURN NULL;
END
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION activity_day_counts_remove() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp SET app.maintenance = 'on' AS $$
BEGIN
  UPDATE public.activity_day_counts SET records = records - 1
  WHERE tenant_id = OLD.tenant_id AND cloud = OLD.cloud
    AND (operation_status IS NULL OR operation_status = OLD.operation_status)
    AND (operation_type IS NULL OR operation_type = OLD.operation_type)
    AND day = (OLD.occurred_at AT TIME ZONE 'UTC')::date;
  UPDATE public.activity_user_day_counts SET records = records - 1
  WHERE tenant_id = OLD.tenant_id AND cloud = OLD.cloud AND user_key = lower(OLD.user_principal_name)
    AND (operation_status IS NULL OR operation_status = OLD.operation_status)
    AND (operation_type IS NULL OR operation_type = OLD.operation_type)
    AND day = (OLD.occurred_at AT TIME ZONE 'UTC')::date;
  RETURN NULL;
END
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION activity_day_counts_truncated() RETURNS trigger
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
    DELETE FROM public.activity_user_day_counts;
  ELSE
    DELETE FROM public.activity_day_counts
    WHERE day >= (bound[1]::timestamptz AT TIME ZONE 'UTC')::date AND day < (bound[2]::timestamptz AT TIME ZONE 'UTC')::date;
    DELETE FROM public.activity_user_day_counts
    WHERE day >= (bound[1]::timestamptz AT TIME ZONE 'UTC')::date AND day < (bound[2]::timestamptz AT TIME ZONE 'UTC')::date;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint

-- Both tables afresh, locked in the order retention takes them (activity_day_counts first).
CREATE OR REPLACE FUNCTION rebuild_activity_day_counts() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  written bigint;
  by_user bigint;
BEGIN
  IF current_setting('app.maintenance', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'rebuild_activity_day_counts() reads every tenant: run it with app.maintenance = on'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  LOCK TABLE public.activity_day_counts IN EXCLUSIVE MODE;
  LOCK TABLE public.activity_user_day_counts IN EXCLUSIVE MODE;
  DELETE FROM public.activity_day_counts;
  DELETE FROM public.activity_user_day_counts;
  INSERT INTO public.activity_day_counts (tenant_id, cloud, operation_status, operation_type, day, records)
  SELECT tenant_id, cloud, s, t, day, count(*)
  FROM (SELECT tenant_id, cloud, operation_status AS s, operation_type AS t, (occurred_at AT TIME ZONE 'UTC')::date AS day
        FROM public.activity_records) a
  GROUP BY tenant_id, cloud, day, CUBE (s, t);
  GET DIAGNOSTICS written = ROW_COUNT;
  INSERT INTO public.activity_user_day_counts (tenant_id, cloud, user_key, operation_status, operation_type, day, records)
  SELECT tenant_id, cloud, u, s, t, day, count(*)
  FROM (SELECT tenant_id, cloud, lower(user_principal_name) AS u, operation_status AS s, operation_type AS t,
               (occurred_at AT TIME ZONE 'UTC')::date AS day
        FROM public.activity_records) a
  GROUP BY tenant_id, cloud, u, day, CUBE (s, t);
  GET DIAGNOSTICS by_user = ROW_COUNT;
  RETURN written + by_user;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION rebuild_activity_day_counts() FROM PUBLIC;--> statement-breakpoint

-- Backfill: the users' counts of the log as it is (the per-day counts of 0006 are already right).
-- The lock keeps inserts waiting until the counts are complete, as the recount does.
LOCK TABLE activity_user_day_counts IN EXCLUSIVE MODE;--> statement-breakpoint
SELECT set_config('app.maintenance', 'on', true);--> statement-breakpoint
INSERT INTO activity_user_day_counts (tenant_id, cloud, user_key, operation_status, operation_type, day, records)
SELECT tenant_id, cloud, u, s, t, day, count(*)
FROM (SELECT tenant_id, cloud, lower(user_principal_name) AS u, operation_status AS s, operation_type AS t,
             (occurred_at AT TIME ZONE 'UTC')::date AS day
      FROM activity_records) a
GROUP BY tenant_id, cloud, u, day, CUBE (s, t);--> statement-breakpoint
SELECT set_config('app.maintenance', '', true);
