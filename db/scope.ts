import { sql as drizzleSql } from "drizzle-orm";
import type { Sql, TransactionSql } from "postgres";
import type { Tx } from "./with-tenant";
import type { Cloud } from "@/lib/domain";

/*
 * The one place that scopes a transaction: to a tenant and cloud for requests, or to maintenance
 * for operators' jobs. Row-level security trusts exactly these settings, so every driver applies
 * the same statement, built here once (tests/unit/tenant-scoping-in-one-place.test.ts keeps it so).
 */

/** The role that migrations create for requests: not the owner, not a superuser, subject to RLS. */
export const APP_ROLE = "activity_app";

/**
 * The planner's random_page_cost is lowered for tenant transactions: requests read a few thousand
 * index entries of a hot, cached index, and at the default (4, tuned for spinning disks) the
 * planner preferred sequential scans of whole monthly partitions for the page's capped count
 * (measured in npm run bench). Scoped to the transaction, so it needs no server configuration.
 */
export const REQUEST_RANDOM_PAGE_COST = "1.1";

/** One set_config call; `sinceServerVersion` skips it on older servers (server_version_num). */
export interface ScopeSetting {
  name: string;
  value: string;
  sinceServerVersion?: number;
}

/** A `select set_config(...), ...` statement as tagged-template parts, which both drivers take. */
export interface ScopeStatement {
  strings: TemplateStringsArray;
  values: string[];
  /** The same statement with $1.. placeholders, for tools that take text and parameters. */
  text: string;
}

export type TenantScope = { tenantId: string; cloud: Cloud };

// Names go into the SQL text (they are constants here); values always travel as parameters.
const SETTING_NAME = /^[a-z_]+(\.[a-z_]+)?$/;

/*
 * One strings array per statement shape, reused: postgres.js keeps an Error per tagged template's
 * strings array (by identity, in a Map that never shrinks) to report where a failing query was
 * written, and that Error holds its call stack's closures alive. A fresh array per transaction
 * leaked each transaction's data (measured: ~1.5 MB per 500-record ingest batch, every request's
 * session check). Shapes are few (names are constants), so the cache is bounded.
 */
const statementShapes = new Map<string, Omit<ScopeStatement, "values">>();

function setConfigStatement(settings: readonly ScopeSetting[], local: boolean): ScopeStatement {
  const shape = JSON.stringify([local, settings.map((s) => [s.name, s.sinceServerVersion ?? null])]);
  let cached = statementShapes.get(shape);
  if (!cached) {
    cached = buildStatement(settings, local);
    statementShapes.set(shape, cached);
  }
  return { strings: cached.strings, text: cached.text, values: settings.map((s) => s.value) };
}

function buildStatement(settings: readonly ScopeSetting[], local: boolean): Omit<ScopeStatement, "values"> {
  if (settings.length === 0) throw new Error("a scope needs at least one setting");
  const strings: string[] = [];
  let head = "select ";
  settings.forEach((setting, i) => {
    if (!SETTING_NAME.test(setting.name)) throw new Error(`not a setting name: ${setting.name}`);
    const call = `set_config('${setting.name}', `;
    if (setting.sinceServerVersion === undefined) {
      strings.push(`${head}${call}`);
      head = `, ${local})`;
    } else {
      const since = Math.trunc(setting.sinceServerVersion);
      strings.push(`${head}case when current_setting('server_version_num')::int >= ${since} then ${call}`);
      head = `, ${local}) end`;
    }
    if (i < settings.length - 1) head += ",\n       ";
  });
  strings.push(head);
  const text = strings.reduce((out, part, i) => (i === 0 ? part : `${out}$${i}${part}`), "");
  return { strings: Object.assign([...strings], { raw: [...strings] }), text };
}

function tenantSettings(ctx: TenantScope): ScopeSetting[] {
  return [
    { name: "app.tenant_id", value: ctx.tenantId },
    { name: "app.cloud", value: ctx.cloud },
    // set_config on `role` is the transaction-local form of setting the role.
    { name: "role", value: APP_ROLE },
    { name: "random_page_cost", value: REQUEST_RANDOM_PAGE_COST },
  ];
}

/** The tenant scope, plus a caller's own transaction-local settings in the same round trip. */
export function tenantScopeStatement(ctx: TenantScope, extra: readonly ScopeSetting[] = []): ScopeStatement {
  return setConfigStatement([...tenantSettings(ctx), ...extra], true);
}

/** Scopes a Drizzle transaction to one tenant and cloud, as the request role. */
export async function scopeTenant(tx: Pick<Tx, "execute">, ctx: TenantScope): Promise<void> {
  const statement = tenantScopeStatement(ctx);
  await tx.execute(drizzleSql(statement.strings, ...statement.values));
}

/** Scopes a postgres.js transaction to one tenant and cloud, as the request role. */
export async function scopeTenantSql(
  tx: TransactionSql,
  ctx: TenantScope,
  extra: readonly ScopeSetting[] = [],
): Promise<void> {
  const statement = tenantScopeStatement(ctx, extra);
  await tx(statement.strings, ...statement.values);
}

/** A postgres.js transaction scoped to one tenant and cloud, as the request role: withTenant's twin. */
export function withTenantSql<T>(sql: Sql, ctx: TenantScope, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await scopeTenantSql(tx, ctx);
    return fn(tx);
  }) as Promise<T>;
}

/**
 * Only the request role, no tenant: for the API-key lookup, which runs before any tenant is known
 * and reads through a SECURITY DEFINER function.
 */
export async function scopeRequestRoleSql(tx: TransactionSql): Promise<void> {
  const statement = setConfigStatement([{ name: "role", value: APP_ROLE }], true);
  await tx(statement.strings, ...statement.values);
}

export interface MaintenanceOptions {
  /** Also allow dropping and deleting old log data (the retention policies). */
  retention?: boolean;
}

function maintenanceStatement(options: MaintenanceOptions, local: boolean): ScopeStatement {
  const settings: ScopeSetting[] = [{ name: "app.maintenance", value: "on" }];
  if (options.retention) settings.push({ name: "app.retention", value: "on" });
  return setConfigStatement(settings, local);
}

/** Cross-tenant work as the owner, through the `maintenance` policies, on a Drizzle transaction. */
export async function scopeMaintenance(tx: Pick<Tx, "execute">, options: MaintenanceOptions = {}): Promise<void> {
  const statement = maintenanceStatement(options, true);
  await tx.execute(drizzleSql(statement.strings, ...statement.values));
}

/** The same on a postgres.js transaction. */
export async function scopeMaintenanceSql(tx: TransactionSql, options: MaintenanceOptions = {}): Promise<void> {
  const statement = maintenanceStatement(options, true);
  await tx(statement.strings, ...statement.values);
}

/**
 * Maintenance for a whole session: only for a client of its own with a single connection
 * (postgres(url, { max: 1 })), so the setting never leaks into a shared pool.
 */
export async function setMaintenanceSession(sql: Sql): Promise<void> {
  const statement = maintenanceStatement({}, false);
  await sql(statement.strings, ...statement.values);
}
