import type { Sql } from "postgres";
import { APPLICATIONS, LICENSE_SKUS, OFFERS, OPERATION_MIX } from "./demo-data";
import type { Cloud } from "@/lib/domain";

export interface ActivityVolume {
  tenantId: string;
  cloud: Cloud;
  /** How many records to generate for this tenant. */
  count: number;
  from: Date;
  to: Date;
  seed: number;
  customers: Array<{ id: string; companyName: string; domain: string }>;
  userPrincipalNames: string[];
  /**
   * Store the history as loaded in the hour before this one (recorded_at at the start of that
   * hour, or when it occurred if later) rather than now: that hour has ended, so the sealing run
   * at the first start seals the whole history at once, in one seal (one per hour of storage).
   * "This one" is the hour of ten minutes ago: the sealer leaves the last five minutes alone, so
   * in the first minutes after the hour the hour before would not be sealable yet.
   */
  storedLastHour?: boolean;
  /**
   * Each customer's first record is its "Added customer" (and its only one): no order or change of
   * a customer comes before it was added, as the demo's story needs. Per chunk, so meant for one.
   */
  customersAddedFirst?: boolean;
  /** Rows per INSERT statement: bounds memory and temp space for millions of rows. */
  chunkSize?: number;
  /** False: the records only, no details rows (lean records, as many producers send). Default true. */
  details?: boolean;
}

/**
 * A deterministic pseudo-random number in [0, 1) for row `g` and field `k`, computed by the
 * database: hashint8extended is stable across platforms (hash partitioning relies on it), so the
 * same seed gives the same rows with no row-by-row round trips.
 */
const rnd = (k: number) =>
  `((hashint8extended(g * 131 + ${k}, $seed_param) & 9007199254740991)::float8 / 9007199254740992.0)`;

/*
 * Operations of several records: consecutive records form groups of CHAIN_GROUP, and a few groups
 * become one operation sharing a correlation id (and customer). An order chain is an order, two of
 * its subscriptions updated and a licence change; a progress chain is an operation "in progress"
 * and its outcome, succeeded or failed, a little later.
 */
const CHAIN_GROUP = 8;
const ORDER_CHAINS = 0.06;
const PROGRESS_CHAINS = 0.1;
const PROGRESS_SUCCEEDS = 0.09;
const grp = `(g / ${CHAIN_GROUP})`;
const pos = `(g % ${CHAIN_GROUP})`;
const rndGroup = (k: number) =>
  `((hashint8extended(${grp} * 977 + ${k}, $seed_param) & 9007199254740991)::float8 / 9007199254740992.0)`;

const caseOf = (column: 1 | 2) =>
  "CASE " +
  OPERATION_MIX.map(([t, op, res]) => `WHEN r_op < ${t} THEN '${column === 1 ? op : res}'`).join(" ") +
  " END";

function buildStatement(): string {
  // $1 tenant, $2 cloud, $3 total count, $4 from, $5 to, $6 seed, $7 id base, $8..$10 customers,
  // $11 users, $12 offers, $13 skus, $14 applications, $15 first g, $16 last g, $17 stored last hour,
  // $18 customers added first.
  const q = `
WITH gen AS (
  SELECT g, ${rnd(1)} AS r_op, ${rnd(2)} AS r_status, ${rnd(3)} AS r_time, ${rnd(4)} AS r_cust,
         ${rnd(5)} AS r_user, ${rnd(6)} AS r_app, ${rnd(7)} AS r_a, ${rnd(8)} AS r_b, ${rnd(9)} AS r_c
         , ${rndGroup(1)} AS r_grp, ${rndGroup(2)} AS r_grp_cust, ${grp} AS grp, ${pos} AS pos
  FROM generate_series($15::bigint, $16::bigint) AS g
), chained AS (
  SELECT gen.*,
         CASE WHEN r_grp < ${ORDER_CHAINS} AND pos < 4 THEN 'order'
              WHEN r_grp >= ${ORDER_CHAINS} AND r_grp < ${PROGRESS_CHAINS} AND pos < 2 THEN 'progress' END AS chain
  FROM gen
), customered AS (
  SELECT chained.*,
         1 + floor((CASE WHEN chain IS NULL THEN r_cust ELSE r_grp_cust END) * cardinality($8::uuid[]))::int AS ci
  FROM chained
), firsts AS (
  -- With $18, each customer's first record adds it, so nothing of it comes before its "Added customer".
  SELECT customered.*, $18::boolean AND g = min(g) OVER (PARTITION BY ci) AS adds_customer
  FROM customered
), typed AS (
  SELECT firsts.*,
         CASE WHEN adds_customer THEN 'add_customer'
              WHEN chain = 'order' THEN (ARRAY['create_order', 'update_subscription', 'update_subscription', 'update_customer_user_licenses'])[pos + 1]
              WHEN chain = 'progress' THEN 'transfer_subscriptions'
              ELSE ${caseOf(1)} END AS op0,
         CASE WHEN adds_customer THEN 'customer'
              WHEN chain = 'order' THEN (ARRAY['order', 'subscription', 'subscription', 'license'])[pos + 1]
              WHEN chain = 'progress' THEN 'subscription'
              ELSE ${caseOf(2)} END AS res,
         CASE WHEN adds_customer OR chain = 'order' THEN 'succeeded'
              WHEN chain = 'progress' AND pos = 0 THEN 'progress'
              WHEN chain = 'progress' THEN CASE WHEN r_grp < ${PROGRESS_SUCCEEDS} THEN 'succeeded' ELSE 'failed' END
              WHEN r_status < 0.9 THEN 'succeeded' WHEN r_status < 0.97 THEN 'failed' ELSE 'progress' END AS status,
         date_trunc('milliseconds', $4::timestamptz + ($5::timestamptz - $4::timestamptz) * ((g - 1 + r_time) / $3::float8)) AS at
  FROM firsts
), once AS (
  -- A customer is added once: its first successful "Add customer" stays one (the seed dates the
  -- customer by it), and a later success would add it again, so it is a billing profile update.
  SELECT typed.*,
         CASE WHEN op0 = 'add_customer' AND status = 'succeeded'
                   AND row_number() OVER (PARTITION BY ci, op0, status ORDER BY g) > 1
              THEN 'update_customer_billing_profile' ELSE op0 END AS op
  FROM typed
), shaped AS (
  SELECT once.*,
         CASE WHEN op = 'add_customer' AND status = 'failed' THEN NULL ELSE ($8::uuid[])[ci] END AS customer_id,
         CASE WHEN op = 'add_customer' AND status = 'failed' THEN NULL ELSE ($9::text[])[ci] END AS customer_name,
         ($10::text[])[ci] AS domain,
         ($12::text[])[1 + floor(r_a * cardinality($12::text[]))::int] AS offer,
         -- A subscription keeps its offer: the one its order line had (in an order chain), or one
         -- fixed by the customer's subscription slot (elsewhere).
         CASE WHEN chain = 'order'
              THEN ($12::text[])[1 + (abs(hashint8extended(${grp} * ${CHAIN_GROUP} * 1000 + pos, $6::bigint)) % cardinality($12::text[]))::int]
              ELSE ($12::text[])[1 + (abs(hashint8extended(ci * 4 + floor(r_b * 4)::int, $6::bigint + 7)) % cardinality($12::text[]))::int]
         END AS sub_offer,
         CASE WHEN chain = 'order'
              THEN 1 + (abs(hashint8extended(${grp} * ${CHAIN_GROUP} * 1000 + pos, $6::bigint + 1)) % 250)::int
              ELSE 1 + floor(r_b * 200)::int
         END AS sub_quantity,
         CASE WHEN chain IS NULL THEN md5($6::text || ':' || $1::text || ':' || g)::uuid
              ELSE md5($6::text || ':' || $1::text || ':chain:' || grp)::uuid END AS correlation_id
  FROM once
), ins AS (
  INSERT INTO activity_records (id, tenant_id, cloud, occurred_at, recorded_at, customer_id, customer_name, operation_type,
                                resource_type, operation_status, user_principal_name, application_id, correlation_id)
  SELECT $7::bigint + g, $1::uuid, $2::text, at, CASE WHEN $17::boolean THEN least(greatest(at, date_trunc('hour', now() - interval '10 minutes') - interval '1 hour'), now()) ELSE now() END, customer_id, customer_name, op, res, status,
         ($11::text[])[1 + floor(r_user * cardinality($11::text[]))::int],
         ($14::text[])[1 + floor(r_app * cardinality($14::text[]))::int],
         correlation_id
  FROM shaped
)
INSERT INTO activity_record_details (tenant_id, occurred_at, record_id, resource_old_value, resource_new_value, customized_data)
SELECT $1::uuid, at, $7::bigint + g,
  CASE op
    WHEN 'update_subscription' THEN jsonb_build_object(
      'subscriptionId', CASE WHEN chain = 'order' THEN md5('line:' || $1::text || ':' || (grp * ${CHAIN_GROUP}) || ':' || pos)::uuid
                             ELSE md5('sub:' || $1::text || ':' || ci || ':' || floor(r_b * 4))::uuid END,
      'offerName', sub_offer, 'quantity', sub_quantity, 'status', 'active', 'autoRenewEnabled', true)
    WHEN 'update_customer_user_licenses' THEN jsonb_build_object(
      'userPrincipalName', 'user' || (g % 300) || '@' || domain,
      'assignedLicenses', jsonb_build_array(($13::text[])[1 + floor(r_a * cardinality($13::text[]))::int]))
    WHEN 'transfer_subscriptions' THEN jsonb_build_object('sourcePartner', 'Previous partner of record')
    ELSE NULL
  END,
  CASE op
    WHEN 'create_order' THEN jsonb_build_object(
      'orderId', md5('order:' || $1::text || ':' || g)::uuid,
      'referenceCustomerId', customer_id,
      'currencyCode', 'USD',
      'lineItems', (
        SELECT jsonb_agg(jsonb_build_object(
                 'lineItemNumber', i,
                 'offerName', ($12::text[])[1 + (abs(hashint8extended(g * 1000 + i, $6::bigint)) % cardinality($12::text[]))::int],
                 'quantity', 1 + (abs(hashint8extended(g * 1000 + i, $6::bigint + 1)) % 250)::int,
                 'termDuration', (ARRAY['P1M', 'P1Y', 'P3Y'])[1 + (abs(hashint8extended(g * 1000 + i, $6::bigint + 2)) % 3)::int],
                 'billingCycle', (ARRAY['monthly', 'annual'])[1 + (abs(hashint8extended(g * 1000 + i, $6::bigint + 3)) % 2)::int],
                 'subscriptionId', md5('line:' || $1::text || ':' || g || ':' || i)::uuid) ORDER BY i)
        FROM generate_series(1, CASE WHEN r_b < 0.35 THEN 25 + floor(r_c * 36)::int WHEN chain = 'order' THEN 2 + floor(r_c * 7)::int ELSE 1 + floor(r_c * 8)::int END) AS i))
    WHEN 'update_subscription' THEN jsonb_build_object(
      'subscriptionId', CASE WHEN chain = 'order' THEN md5('line:' || $1::text || ':' || (grp * ${CHAIN_GROUP}) || ':' || pos)::uuid
                             ELSE md5('sub:' || $1::text || ':' || ci || ':' || floor(r_b * 4))::uuid END,
      'offerName', sub_offer, 'quantity', greatest(1, sub_quantity + floor(r_c * 41)::int - 20),
      'status', 'active', 'autoRenewEnabled', r_c < 0.9)
    WHEN 'update_customer_user_licenses' THEN jsonb_build_object(
      'userPrincipalName', 'user' || (g % 300) || '@' || domain,
      'assignedLicenses', jsonb_build_array(($13::text[])[1 + floor(r_a * cardinality($13::text[]))::int],
                                            ($13::text[])[1 + floor(r_b * cardinality($13::text[]))::int]))
    WHEN 'create_customer_user' THEN jsonb_build_object(
      'userPrincipalName', 'user' || (g % 300) || '@' || domain, 'displayName', 'User ' || (g % 300), 'usageLocation', 'US')
    WHEN 'reset_customer_user_password' THEN jsonb_build_object('userPrincipalName', 'user' || (g % 300) || '@' || domain, 'forceChangePasswordNextSignIn', true)
    WHEN 'delete_customer_user' THEN jsonb_build_object('userPrincipalName', 'user' || (g % 300) || '@' || domain)
    -- A customer it created is named by id, as the app's own "Add customer" records it; a failed
    -- one keeps only the name it tried.
    WHEN 'add_customer' THEN jsonb_build_object('companyName', ($9::text[])[ci], 'domain', domain, 'country', 'US')
      || CASE WHEN customer_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('customerId', customer_id) END
    WHEN 'create_referral' THEN jsonb_build_object(
      'referralId', md5('ref:' || $1::text || ':' || g)::uuid, 'name', offer || ' opportunity',
      'type', 'Independent', 'dealValue', (1000 + floor(r_b * 99000))::int, 'currencyCode', 'USD', 'status', 'New')
    WHEN 'update_customer_billing_profile' THEN jsonb_build_object(
      'email', 'billing@' || domain, 'culture', 'en-US', 'defaultAddress', jsonb_build_object('city', 'Redmond', 'country', 'US'))
    WHEN 'transfer_subscriptions' THEN jsonb_build_object('subscriptionCount', 1 + floor(r_b * 5)::int)
    ELSE jsonb_build_object('customerId', customer_id)
  END,
  CASE WHEN status = 'failed' THEN jsonb_build_object(
    'errorCode', (ARRAY['DomainAlreadyExists', 'InsufficientPermissions', 'QuotaExceeded', 'InvalidInput'])[1 + floor(r_c * 4)::int],
    'errorMessage', 'The operation could not be completed.')
  ELSE NULL END
FROM shaped`;
  return q.replaceAll("$seed_param", "$6::bigint");
}

const STATEMENT = buildStatement();
/*
 * The same records without their details: the records' insert is a data-modifying CTE, which runs
 * to completion whatever the main statement reads, so only the final INSERT is replaced.
 */
const LEAN_STATEMENT =
  STATEMENT.slice(0, STATEMENT.lastIndexOf("INSERT INTO activity_record_details")) +
  // The details were the only reader of $13 (the licence SKUs): name its type, or Postgres cannot.
  "SELECT cardinality($13::text[])";

/** Inserts `count` records (and their details) for one tenant, set-based, in chunks. */
export async function generateActivity(sql: Sql, volume: ActivityVolume): Promise<void> {
  const { count, chunkSize = 250_000 } = volume;
  if (count <= 0) return;
  // Ids are reserved as one block so that id order follows time order, as it does in production.
  const [{ base }] = await sql<[{ base: string }]>`
    select setval('activity_records_id_seq', nextval('activity_records_id_seq') + ${count}) - ${count} - 1 as base`;
  const params = (first: number, last: number) => [
    volume.tenantId,
    volume.cloud,
    count,
    volume.from.toISOString(),
    volume.to.toISOString(),
    volume.seed,
    base,
    volume.customers.map((c) => c.id),
    volume.customers.map((c) => c.companyName),
    volume.customers.map((c) => c.domain),
    volume.userPrincipalNames,
    [...OFFERS],
    [...LICENSE_SKUS],
    [...APPLICATIONS],
    first,
    last,
    volume.storedLastHour ?? false,
    volume.customersAddedFirst ?? false,
  ];
  for (let first = 1; first <= count; first += chunkSize) {
    const last = Math.min(count, first + chunkSize - 1);
    await sql.unsafe(volume.details === false ? LEAN_STATEMENT : STATEMENT, params(first, last) as never[]);
  }
}
