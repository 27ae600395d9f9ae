"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getTenantContext } from "@/lib/auth/tenant-context";
import { utcInstantOf } from "@/lib/day-text";
import { AppError } from "@/lib/errors";
import { formValues, toFormState, type FormProblem, type FormState } from "@/lib/form-state";
import { ROUTES } from "@/lib/routes";
import type { DestinationIssueCode } from "@/lib/streaming/destination";
import { createFor, deleteFor, pauseFor, replayFor, resumeFor, testFor, updateFor } from "@/lib/streaming/settings";

/*
 * The Log streaming page's actions (global admins). Each change is a record in the log, written
 * with it (lib/streaming/settings.ts). Server actions check the request's Origin against the host,
 * their CSRF protection.
 */

const PAGE = ROUTES.logStreaming;

export interface AddDestinationState extends FormState {
  /** A generated webhook signing key, shown this once. */
  generatedSecret?: string;
}

const list = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(/[,\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);

/** The add form's fields as the settings' input (the API takes the same shape as JSON). */
function destinationBody(form: FormData) {
  const text = (name: string) => {
    const v = String(form.get(name) ?? "").trim();
    return v === "" ? undefined : v;
  };
  const kind = text("kind");
  return {
    name: text("name") ?? "",
    kind,
    url: kind === "syslog" ? undefined : text("url"),
    host: kind === "syslog" ? text("host") : undefined,
    port: kind === "syslog" ? text("port") : undefined,
    tls: form.get("tls") === "on",
    tlsCa: kind === "syslog" ? text("tlsCa") : undefined,
    format: text("format"),
    batchSize: text("batchSize"),
    secret: kind === "syslog" ? undefined : text("secret"),
    statuses: form.getAll("statuses").map(String),
    operationTypes: list(form.get("operationTypes")),
    customerIds: list(form.get("customerIds")),
    enabled: form.get("enabled") === "on",
  };
}

/** Field errors in the reader's language, by the settings' issue codes. */
async function refused(error: unknown, form: FormData): Promise<AddDestinationState> {
  const t = await getTranslations("logStreaming.add");
  const describe = (problem: FormProblem) =>
    problem.kind === "field"
      ? t(`validation.${problem.code as DestinationIssueCode}`, problem.values)
      : problem.message;
  const values = formValues(form);
  delete values.secret; // a secret is never sent back to the browser
  return { ...toFormState(error, describe), values };
}

export async function addDestinationAction(
  _previous: AddDestinationState,
  form: FormData,
): Promise<AddDestinationState> {
  try {
    const ctx = await getTenantContext({ permission: "manage_log_streaming" });
    const { generatedSecret } = await createFor(ctx, destinationBody(form));
    revalidatePath(PAGE);
    const t = await getTranslations("logStreaming.add");
    return { ok: true, message: t("added"), ...(generatedSecret ? { generatedSecret } : {}) };
  } catch (error) {
    return refused(error, form);
  }
}

export async function updateDestinationAction(
  id: string,
  _previous: AddDestinationState,
  form: FormData,
): Promise<AddDestinationState> {
  try {
    const ctx = await getTenantContext({ permission: "manage_log_streaming" });
    await updateFor(ctx, id, destinationBody(form));
    revalidatePath(PAGE);
    const t = await getTranslations("logStreaming.edit");
    return { ok: true, message: t("saved") };
  } catch (error) {
    return refused(error, form);
  }
}

type Notice = "paused" | "resumed" | "tested" | "testFailed" | "replayed" | "removed" | "invalid" | "gone";

function done(notice: Notice, extra = ""): never {
  revalidatePath(PAGE);
  redirect(`${PAGE}?notice=${notice}${extra}`);
}

async function onDestination(form: FormData, run: (id: string) => Promise<Notice | [Notice, string]>): Promise<never> {
  let outcome: Notice | [Notice, string];
  try {
    outcome = await run(String(form.get("id") ?? ""));
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") done("gone");
    if (error instanceof AppError && error.code === "bad_request") done("invalid");
    throw error;
  }
  if (Array.isArray(outcome)) done(outcome[0], outcome[1]);
  done(outcome);
}

const context = () => getTenantContext({ permission: "manage_log_streaming" });

export async function pauseAction(form: FormData): Promise<void> {
  const ctx = await context();
  await onDestination(form, async (id) => (await pauseFor(ctx, id), "paused"));
}

export async function resumeAction(form: FormData): Promise<void> {
  const ctx = await context();
  await onDestination(form, async (id) => (await resumeFor(ctx, id), "resumed"));
}

export async function testAction(form: FormData): Promise<void> {
  const ctx = await context();
  await onDestination(form, async (id) => ((await testFor(ctx, id)) === null ? "tested" : "testFailed"));
}

export async function removeAction(form: FormData): Promise<void> {
  const ctx = await context();
  await onDestination(form, async (id) => (await deleteFor(ctx, id), "removed"));
}

/** The day (as the page writes days, or YYYY-MM-DD) and optional HH:MM are read as UTC (the page says so). */
export async function replayAction(form: FormData): Promise<void> {
  const ctx = await context();
  const since = utcInstantOf(String(form.get("sinceDay") ?? ""), String(form.get("sinceTime") ?? ""));
  await onDestination(form, async (id) => {
    // Unreadable: the same refusal as a bad ISO time from the API (the page says "invalid").
    const queued = await replayFor(ctx, id, since ? since.toISOString() : "");
    return ["replayed", `&count=${queued}`];
  });
}
