"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getSql } from "@/db/client";
import { getConnectionStatus, requestSyncNow, saveConnection } from "@/db/partner-center-connection";
import { getTenantContext } from "@/lib/auth/tenant-context";
import { formValues, toFormState, type FormState } from "@/lib/form-state";
import { parseConnectionForm } from "@/lib/partner-center/sync/connection-input";
import { firstSyncedDay } from "@/lib/partner-center/sync/days-behind";
import { REFRESH_TOKEN_PURPOSE, SECRET_PURPOSE } from "@/lib/partner-center/sync/sync-tenant";
import { testConnection } from "@/lib/partner-center/sync/test-connection";
import { ROUTES } from "@/lib/routes";
import { encryptSecret } from "@/lib/secret-box";

/*
 * Data sources: a global admin configures the tenant's Partner Center connection, tests it and
 * asks for a sync. Each saved change is a record in the log, written with it. Secrets are sealed
 * before they reach the database and never come back in a form's values.
 */

const PAGE = ROUTES.dataSources;
const SECRET_FIELDS = new Set(["clientSecret", "refreshToken"]);

/** What the form shows again after a refused submit: everything but the secrets. */
const keptValues = (form: FormData) =>
  Object.fromEntries(Object.entries(formValues(form)).filter(([k]) => !SECRET_FIELDS.has(k)));

export async function saveConnectionAction(_previous: FormState, form: FormData): Promise<FormState> {
  const t = await getTranslations("dataSources");
  try {
    const ctx = await getTenantContext({ permission: "manage_data_sources" });
    const current = await getConnectionStatus({ ctx, since: firstSyncedDay(new Date()) });
    const parsed = parseConnectionForm(form, { hasSecret: current !== null });
    if (!parsed.ok) {
      const fieldErrors = Object.fromEntries(parsed.problems.map((p) => [p.field, t(`validation.${p.code}`)]));
      return { ok: false, message: fieldErrors[parsed.problems[0].field], fieldErrors, values: keptValues(form) };
    }
    const { clientSecret, refreshToken, ...rest } = parsed.value;
    const outcome = await saveConnection({
      ctx,
      change: {
        ...rest,
        ...(clientSecret !== undefined
          ? { clientSecret: encryptSecret(clientSecret, SECRET_PURPOSE, ctx.tenantId) }
          : {}),
        ...(refreshToken !== undefined
          ? { refreshToken: refreshToken && encryptSecret(refreshToken, REFRESH_TOKEN_PURPOSE, ctx.tenantId) }
          : {}),
      },
    });
    revalidatePath(PAGE);
    return { ok: true, message: t(`saved.${outcome}`) };
  } catch (error) {
    return { ...toFormState(error, () => t("errors.failed")), values: keptValues(form) };
  }
}

export async function testConnectionAction(_previous: FormState): Promise<FormState> {
  const t = await getTranslations("dataSources");
  try {
    const ctx = await getTenantContext({ permission: "manage_data_sources" });
    const result = await testConnection(getSql(), ctx);
    if (result.ok) return { ok: true, message: t("test.ok", { authority: result.authorityHost }) };
    if (result.problem === "not_configured") return { ok: false, message: t("test.notConfigured") };
    return { ok: false, message: t("test.failed", { reason: result.message }) };
  } catch (error) {
    return toFormState(error, () => t("errors.failed"));
  }
}

export async function syncNowAction(): Promise<void> {
  const ctx = await getTenantContext({ permission: "manage_data_sources" });
  const requested = await requestSyncNow({ ctx });
  revalidatePath(PAGE);
  redirect(`${PAGE}?notice=${requested ? "syncRequested" : "notConfigured"}`);
}
