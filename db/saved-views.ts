import { randomUUID } from "node:crypto";
import type { TransactionSql } from "postgres";
import type { TenantScope } from "@/db/scope";
import { PORTAL_APPLICATION_ID } from "@/db/mutations/activity";
import { AppError } from "@/lib/errors";
import type { TenantContext } from "@/lib/domain";

/*
 * Saved views of the Activity log, as the request role (row-level security keeps each tenant and
 * cloud to its own). Within the tenant, a user sees their own views and the ones others shared;
 * another user's private view is not found, exactly as another tenant's is.
 */

export interface SavedView {
  id: string;
  name: string;
  /** The filters as the log's query string (toSearchParams), without a page position. */
  query: string;
  shared: boolean;
  ownerPrincipalName: string;
  /** The reader's own view: only its owner renames, changes or deletes it. */
  own: boolean;
  /** The reader's default: the log opens with it when its address names no filter. */
  isDefault: boolean;
}

export interface SavedViewInput {
  name: string;
  query: string;
  shared: boolean;
}

/** A change to a view: a name, and the filters and sharing when they change too (a rename leaves them). */
export type SavedViewEdit = Pick<SavedViewInput, "name"> & Partial<SavedViewInput>;

type Row = {
  id: string;
  name: string;
  query: string;
  shared: boolean;
  owner_principal_name: string;
  own: boolean;
  is_default: boolean;
};

const toView = (r: Row): SavedView => ({
  id: r.id,
  name: r.name,
  query: r.query,
  shared: r.shared,
  ownerPrincipalName: r.owner_principal_name,
  own: r.own,
  isDefault: r.is_default,
});

const NOT_FOUND = () => new AppError("not_found", "There is no such saved view.");
const keyOf = (upn: string) => upn.toLowerCase();

/** The views the user may use: their own first, then the shared ones, each by name. */
export async function listSavedViews(tx: TransactionSql, scope: TenantScope, upn: string): Promise<SavedView[]> {
  const rows = await tx<Row[]>`
    select v.id::text, v.name, v.query, v.shared, v.owner_principal_name, v.owner_key = ${keyOf(upn)} as own,
           d.view_id is not null as is_default
    from saved_views v
    left join saved_view_defaults d on d.tenant_id = v.tenant_id and d.cloud = v.cloud
                                   and d.user_key = ${keyOf(upn)} and d.view_id = v.id
    where v.tenant_id = ${scope.tenantId} and v.cloud = ${scope.cloud}
      and (v.owner_key = ${keyOf(upn)} or v.shared)
    order by v.owner_key <> ${keyOf(upn)}, v.name, v.id`;
  return rows.map(toView);
}

/** One view the user may use; another user's private view (or a malformed id) is not found. */
export async function getSavedView(
  tx: TransactionSql,
  scope: TenantScope,
  upn: string,
  id: string,
): Promise<SavedView> {
  const rows = await tx<Row[]>`
    select v.id::text, v.name, v.query, v.shared, v.owner_principal_name, v.owner_key = ${keyOf(upn)} as own,
           d.view_id is not null as is_default
    from saved_views v
    left join saved_view_defaults d on d.tenant_id = v.tenant_id and d.cloud = v.cloud
                                   and d.user_key = ${keyOf(upn)} and d.view_id = v.id
    where v.tenant_id = ${scope.tenantId} and v.cloud = ${scope.cloud} and v.id::text = ${id.toLowerCase()}
      and (v.owner_key = ${keyOf(upn)} or v.shared)`;
  if (!rows[0]) throw NOT_FOUND();
  return toView(rows[0]);
}

/** The user's default view, or null (none set, or a view since unshared by its owner). */
export async function defaultSavedView(tx: TransactionSql, scope: TenantScope, upn: string): Promise<SavedView | null> {
  const rows = await tx<Row[]>`
    select v.id::text, v.name, v.query, v.shared, v.owner_principal_name, v.owner_key = ${keyOf(upn)} as own,
           true as is_default
    from saved_view_defaults d
    join saved_views v on v.tenant_id = d.tenant_id and v.cloud = d.cloud and v.id = d.view_id
    where d.tenant_id = ${scope.tenantId} and d.cloud = ${scope.cloud} and d.user_key = ${keyOf(upn)}
      and (v.owner_key = ${keyOf(upn)} or v.shared)`;
  return rows[0] ? toView(rows[0]) : null;
}

const nameTaken = (name: string) =>
  new AppError("conflict", `You already have a view named "${name}".`, {
    errors: [{ field: "name", code: "name_taken", message: `you already have a view named "${name}"` }],
  });

const isUniqueViolation = (error: unknown) =>
  (error as { code?: string } | null)?.code === "23505" &&
  (error as { constraint_name?: string }).constraint_name === "saved_views_name_key";

/** Runs `statement` in a savepoint, so a taken name is a conflict and the transaction goes on. */
async function guardName<T>(tx: TransactionSql, name: string, statement: () => Promise<T>): Promise<T> {
  try {
    return (await tx.savepoint(() => statement())) as T;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

export async function insertSavedView(
  tx: TransactionSql,
  scope: TenantScope,
  upn: string,
  input: SavedViewInput,
): Promise<SavedView> {
  const id = randomUUID();
  await guardName(
    tx,
    input.name,
    () => tx`
      insert into saved_views (tenant_id, cloud, id, owner_key, owner_principal_name, name, query, shared)
      values (${scope.tenantId}, ${scope.cloud}, ${id}, ${keyOf(upn)}, ${upn}, ${input.name}, ${input.query},
              ${input.shared})`,
  );
  return getSavedView(tx, scope, upn, id);
}

/** The user's own view, for a change: another's shared view is forbidden, a private one not found. */
async function ownView(tx: TransactionSql, scope: TenantScope, upn: string, id: string): Promise<SavedView> {
  const view = await getSavedView(tx, scope, upn, id);
  if (!view.own) throw new AppError("forbidden", "Only the user who saved a view can change or delete it.");
  return view;
}

export async function updateSavedView(
  tx: TransactionSql,
  scope: TenantScope,
  upn: string,
  id: string,
  input: SavedViewEdit,
): Promise<{ before: SavedView; after: SavedView }> {
  const before = await ownView(tx, scope, upn, id);
  // What the change leaves out is kept by the statement itself, not copied from `before`: a rename
  // cannot undo a change to the sharing that committed meanwhile.
  await guardName(
    tx,
    input.name,
    () => tx`
      update saved_views
      set name = ${input.name}, query = coalesce(${input.query ?? null}::text, query),
          shared = coalesce(${input.shared ?? null}::boolean, shared), updated_at = now()
      where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${before.id}`,
  );
  return { before, after: await getSavedView(tx, scope, upn, id) };
}

export async function deleteSavedView(
  tx: TransactionSql,
  scope: TenantScope,
  upn: string,
  id: string,
): Promise<SavedView> {
  const before = await ownView(tx, scope, upn, id);
  await tx`delete from saved_views where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and id = ${before.id}`;
  return before;
}

/** Makes a view the user may use their default (one per user: it replaces any other). */
export async function setDefaultSavedView(
  tx: TransactionSql,
  scope: TenantScope,
  upn: string,
  id: string,
): Promise<SavedView> {
  const view = await getSavedView(tx, scope, upn, id);
  await tx`
    insert into saved_view_defaults (tenant_id, cloud, user_key, view_id)
    values (${scope.tenantId}, ${scope.cloud}, ${keyOf(upn)}, ${view.id})
    on conflict (tenant_id, cloud, user_key) do update set view_id = excluded.view_id`;
  return { ...view, isDefault: true };
}

/** No default: the log opens unfiltered again. */
export async function clearDefaultSavedView(tx: TransactionSql, scope: TenantScope, upn: string): Promise<void> {
  await tx`
    delete from saved_view_defaults
    where tenant_id = ${scope.tenantId} and cloud = ${scope.cloud} and user_key = ${keyOf(upn)}`;
}

export type SavedViewChange = "create_saved_view" | "update_saved_view" | "delete_saved_view";

/** A view as its record shows it. */
const settings = (v: SavedView) => ({ id: v.id, name: v.name, filters: v.query, shared: v.shared });

/** Each saved view's change is a record of the tenant's log, in the change's own transaction. */
export async function recordSavedViewChange(
  tx: TransactionSql,
  ctx: TenantContext,
  change: SavedViewChange,
  values: { before?: SavedView | null; after?: SavedView | null },
): Promise<void> {
  const [row] = await tx<[{ id: string; occurred_at: string }]>`
    insert into activity_records (tenant_id, cloud, occurred_at, operation_type, resource_type, operation_status,
                                  user_principal_name, application_id, correlation_id)
    values (${ctx.tenantId}, ${ctx.cloud}, date_trunc('milliseconds', clock_timestamp()), ${change},
            'saved_view', 'succeeded', ${ctx.userPrincipalName}, ${PORTAL_APPLICATION_ID}, ${randomUUID()})
    returning id::text, occurred_at::text`;
  const json = (v: SavedView | null | undefined) => (v ? JSON.stringify(settings(v)) : null);
  await tx`
    insert into activity_record_details (tenant_id, occurred_at, record_id, resource_old_value, resource_new_value)
    values (${ctx.tenantId}, ${row.occurred_at}::timestamptz, ${row.id}::int8,
            ${json(values.before)}::text::jsonb, ${json(values.after)}::text::jsonb)`;
}
