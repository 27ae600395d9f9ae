-- The tenant's customer names per month (UTC), with how many records name them, for the search
-- box: resolving a name reads the names of the range's months (a few thousand rows for the busiest
-- tenant) instead of walking the records' name index, one probe per name and partition. Kept by
-- the triggers of the per-day counts, for every way records arrive or leave; a name whose records
-- are gone stays with records = 0 until its month is dropped.
CREATE TABLE "activity_customer_name_months" (
	"tenant_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"month" date NOT NULL,
	"customer_key" text NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "activity_customer_name_months_pkey" PRIMARY KEY("tenant_id","cloud","month","customer_key")
);
--> statement-breakpoint

-- The same security as the per-day counts: requests read their own tenant and cloud's rows and
-- cannot write; the triggers write as the owner under the maintenance policy.
ALTER TABLE activity_customer_name_months ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE activity_customer_name_months FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON activity_customer_name_months
  USING (tenant_id = app_tenant_id() AND cloud = app_cloud());--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format(
    'CREATE POLICY maintenance ON activity_customer_name_months TO %I USING (current_setting(''app.maintenance'', true) = ''on'') WITH CHECK (current_setting(''app.maintenance'', true) = ''on'')',
    current_user);
END
$$;--> statement-breakpoint
GRANT SELECT ON activity_customer_name_months TO activity_app;--> statement-breakpoint

-- The triggers of 0015 again, each also keeping the names (key order for the upserts, as there).
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
  INSERT INTO public.activity_customer_name_months AS c (tenant_id, cloud, month, customer_key, records)
  SELECT tenant_id, cloud, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, customer_key, count(*)
  FROM added WHERE customer_key IS NOT NULL
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (tenant_id, cloud, month, customer_key) DO UPDATE SET records = c.records + excluded.records;
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
  UPDATE public.activity_customer_name_months SET records = records - 1
  WHERE tenant_id = OLD.tenant_id AND cloud = OLD.cloud AND customer_key = OLD.customer_key
    AND month = date_trunc('month', OLD.occurred_at AT TIME ZONE 'UTC')::date;
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
    DELETE FROM public.activity_customer_name_months;
  ELSE
    DELETE FROM public.activity_day_counts
    WHERE day >= (bound[1]::timestamptz AT TIME ZONE 'UTC')::date AND day < (bound[2]::timestamptz AT TIME ZONE 'UTC')::date;
    DELETE FROM public.activity_user_day_counts
    WHERE day >= (bound[1]::timestamptz AT TIME ZONE 'UTC')::date AND day < (bound[2]::timestamptz AT TIME ZONE 'UTC')::date;
    -- Partitions are whole months, so a month's names go with it.
    DELETE FROM public.activity_customer_name_months
    WHERE month >= (bound[1]::timestamptz AT TIME ZONE 'UTC')::date AND month < (bound[2]::timestamptz AT TIME ZONE 'UTC')::date;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint

-- All three afresh, locked in the order retention takes them (activity_day_counts first).
CREATE OR REPLACE FUNCTION rebuild_activity_day_counts() RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  written bigint;
  by_user bigint;
  names bigint;
BEGIN
  IF current_setting('app.maintenance', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION 'rebuild_activity_day_counts() reads every tenant: run it with app.maintenance = on'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  LOCK TABLE public.activity_day_counts IN EXCLUSIVE MODE;
  LOCK TABLE public.activity_user_day_counts IN EXCLUSIVE MODE;
  LOCK TABLE public.activity_customer_name_months IN EXCLUSIVE MODE;
  DELETE FROM public.activity_day_counts;
  DELETE FROM public.activity_user_day_counts;
  DELETE FROM public.activity_customer_name_months;
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
  INSERT INTO public.activity_customer_name_months (tenant_id, cloud, month, customer_key, records)
  SELECT tenant_id, cloud, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, customer_key, count(*)
  FROM public.activity_records WHERE customer_key IS NOT NULL
  GROUP BY 1, 2, 3, 4;
  GET DIAGNOSTICS names = ROW_COUNT;
  RETURN written + by_user + names;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION rebuild_activity_day_counts() FROM PUBLIC;--> statement-breakpoint

-- Backfill: the names of the log as it is. The lock keeps inserts waiting until it is complete.
LOCK TABLE activity_customer_name_months IN EXCLUSIVE MODE;--> statement-breakpoint
SELECT set_config('app.maintenance', 'on', true);--> statement-breakpoint
INSERT INTO activity_customer_name_months (tenant_id, cloud, month, customer_key, records)
SELECT tenant_id, cloud, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, customer_key, count(*)
FROM activity_records WHERE customer_key IS NOT NULL
GROUP BY 1, 2, 3, 4;--> statement-breakpoint
SELECT set_config('app.maintenance', '', true);
