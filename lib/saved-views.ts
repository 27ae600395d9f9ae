import type { TransactionSql } from "postgres";
import { getSql } from "@/db/client";
import {
  clearDefaultSavedView,
  defaultSavedView,
  deleteSavedView,
  getSavedView,
  insertSavedView,
  listSavedViews,
  recordSavedViewChange,
  setDefaultSavedView,
  updateSavedView,
  type SavedView,
  type SavedViewEdit,
} from "@/db/saved-views";
import { withTenantSql } from "@/db/scope";
import { parseActivityLogParams, toSearchParams, type ActivityLogQuery } from "@/lib/activity-log-params";
import { AppError } from "@/lib/errors";
import { invalidInput, issue, type FieldIssue, type IssueCatalog } from "@/lib/validation";
import type { TenantContext } from "@/lib/domain";

/*
 * Saved views of the Activity log, for the API (lib/handlers/saved-views.ts) and the log page's
 * actions alike. A view's filters are the log's own query string: read with the log's parser and
 * written with its serializer, so a saved view means exactly what the same address means. Saving,
 * changing and deleting a view are records in the log, written with the change.
 */

export const MAX_VIEW_NAME_LENGTH = 80;
/** Longer than any query string the page writes (fifty values of each list, a search). */
export const MAX_VIEW_FILTERS_LENGTH = 8000;

export const SAVED_VIEW_ISSUES = {
  body_invalid: { message: "the body must be a JSON object" },
  name_required: { message: "name is required" },
  name_too_long: {
    message: `name must be at most ${MAX_VIEW_NAME_LENGTH} characters`,
    values: { max: MAX_VIEW_NAME_LENGTH },
  },
  name_control_characters: { message: "name contains characters that cannot be stored" },
  filters_invalid: { message: "filters must be the Activity log's query string, such as status=failed&user=a@b.c" },
  filters_too_long: {
    message: `filters must be at most ${MAX_VIEW_FILTERS_LENGTH} characters`,
    values: { max: MAX_VIEW_FILTERS_LENGTH },
  },
  shared_invalid: { message: "shared must be true or false" },
  default_invalid: { message: "default must be true or false" },
} satisfies IssueCatalog<string>;
export type SavedViewIssueCode = keyof typeof SAVED_VIEW_ISSUES | "name_taken" | "filter_param";

export interface ParsedSavedViewInput {
  name: string;
  /** The canonical query string (toSearchParams), with no page position. */
  query: string;
  shared: boolean;
  /** Make it the user's default (true), stop it being the default (false), or leave as is. */
  isDefault: boolean | undefined;
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * The filters of a query string, canonical: parsed by the log's parser (a bad param is a 400 naming
 * it, as `filters.<param>`) and written back by its serializer without any page position or
 * expanded record, so a view opens on its first page.
 */
export function canonicalFilters(raw: string): string {
  const parsed = parseActivityLogParams(new URLSearchParams(raw.replace(/^\?/, "")));
  if (!parsed.ok)
    throw invalidInput(
      parsed.errors.map((e): FieldIssue => ({ field: `filters.${e.param}`, code: "filter_param", message: e.message })),
    );
  return filtersOf(parsed.value);
}

/** The page's current filters as a view stores them. */
export function filtersOf(query: ActivityLogQuery): string {
  return toSearchParams(query, { cursor: null, dir: "next", record: null }).toString();
}

/** A saved view's body (JSON from the API, or the page's form): `{ name, filters, shared?, default? }`. */
export function parseSavedViewInput(body: unknown): ParsedSavedViewInput {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw invalidInput([issue(SAVED_VIEW_ISSUES, "body", "body_invalid")]);
  const b = body as Record<string, unknown>;
  const problems: FieldIssue[] = [];
  const name = typeof b.name === "string" ? b.name.trim() : "";
  if (name === "") problems.push(issue(SAVED_VIEW_ISSUES, "name", "name_required"));
  else if (name.length > MAX_VIEW_NAME_LENGTH) problems.push(issue(SAVED_VIEW_ISSUES, "name", "name_too_long"));
  else if (CONTROL_CHARACTERS.test(name) || !name.isWellFormed())
    problems.push(issue(SAVED_VIEW_ISSUES, "name", "name_control_characters"));
  const filters = b.filters === undefined ? "" : b.filters;
  if (typeof filters !== "string") problems.push(issue(SAVED_VIEW_ISSUES, "filters", "filters_invalid"));
  else if (filters.length > MAX_VIEW_FILTERS_LENGTH)
    problems.push(issue(SAVED_VIEW_ISSUES, "filters", "filters_too_long"));
  if (b.shared !== undefined && typeof b.shared !== "boolean")
    problems.push(issue(SAVED_VIEW_ISSUES, "shared", "shared_invalid"));
  if (b.default !== undefined && typeof b.default !== "boolean")
    problems.push(issue(SAVED_VIEW_ISSUES, "default", "default_invalid"));
  if (problems.length > 0) throw invalidInput(problems);
  return {
    name,
    query: canonicalFilters(filters as string),
    shared: b.shared === true,
    isDefault: b.default as boolean | undefined,
  };
}

const scopeOf = (ctx: TenantContext) => ({ tenantId: ctx.tenantId, cloud: ctx.cloud });
const inTenant = <T>(ctx: TenantContext, run: (tx: TransactionSql) => Promise<T>) =>
  withTenantSql(getSql(), scopeOf(ctx), run);

export const listViewsFor = (ctx: TenantContext) =>
  inTenant(ctx, (tx) => listSavedViews(tx, scopeOf(ctx), ctx.userPrincipalName));

export const getViewFor = (ctx: TenantContext, id: string) =>
  inTenant(ctx, (tx) => getSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, id));

export const defaultViewFor = (ctx: TenantContext) =>
  inTenant(ctx, (tx) => defaultSavedView(tx, scopeOf(ctx), ctx.userPrincipalName));

export function createViewFor(ctx: TenantContext, body: unknown): Promise<SavedView> {
  const input = parseSavedViewInput(body);
  return inTenant(ctx, async (tx) => {
    const view = await insertSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, input);
    await recordSavedViewChange(tx, ctx, "create_saved_view", { after: view });
    if (input.isDefault) return setDefaultSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, view.id);
    return view;
  });
}

export function updateViewFor(ctx: TenantContext, id: string, body: unknown): Promise<SavedView> {
  const input = parseSavedViewInput(body);
  return changeViewFor(ctx, id, input, input.isDefault);
}

/** A new name for the user's own view, its filters and sharing left as they are; recorded as any change. */
export function renameViewFor(ctx: TenantContext, id: string, name: unknown): Promise<SavedView> {
  const { name: checked } = parseSavedViewInput({ name });
  return changeViewFor(ctx, id, { name: checked }, undefined);
}

function changeViewFor(
  ctx: TenantContext,
  id: string,
  change: SavedViewEdit,
  isDefault: boolean | undefined,
): Promise<SavedView> {
  return inTenant(ctx, async (tx) => {
    const { before, after } = await updateSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, id, change);
    await recordSavedViewChange(tx, ctx, "update_saved_view", { before, after });
    if (isDefault === true) return setDefaultSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, id);
    if (isDefault === false && after.isDefault) {
      await clearDefaultSavedView(tx, scopeOf(ctx), ctx.userPrincipalName);
      return { ...after, isDefault: false };
    }
    return after;
  });
}

export function deleteViewFor(ctx: TenantContext, id: string): Promise<void> {
  return inTenant(ctx, async (tx) => {
    const before = await deleteSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, id);
    await recordSavedViewChange(tx, ctx, "delete_saved_view", { before });
  });
}

/** A personal preference, not a change to anything shared: not a record of its own. */
export const setDefaultViewFor = (ctx: TenantContext, id: string) =>
  inTenant(ctx, (tx) => setDefaultSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, id));

/** Clears the default only if it is this view (another view's id is not found, as for any call). */
export const clearDefaultViewFor = (ctx: TenantContext, id: string) =>
  inTenant(ctx, async (tx) => {
    const view = await getSavedView(tx, scopeOf(ctx), ctx.userPrincipalName, id);
    if (view.isDefault) await clearDefaultSavedView(tx, scopeOf(ctx), ctx.userPrincipalName);
    return { ...view, isDefault: false };
  });

/** The view the log opens with when its address names nothing, or null; a failure never blocks the log. */
export async function openingViewFor(ctx: TenantContext): Promise<SavedView | null> {
  try {
    return await defaultViewFor(ctx);
  } catch (error) {
    if (error instanceof AppError) return null;
    throw error;
  }
}
