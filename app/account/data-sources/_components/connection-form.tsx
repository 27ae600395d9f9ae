"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field, fieldClass, FormMessage, SubmitButton } from "@/components/ui/form-controls";
import { initialFormState } from "@/lib/form-state";
import { saveConnectionAction } from "../actions";

export interface ConnectionFormValues {
  configured: boolean;
  clientId: string;
  baseUrl: string;
  enabled: boolean;
  appAndUser: boolean;
}

/** The connection's settings. Secret fields always start empty: a stored secret is never sent back. */
export function ConnectionForm({ current }: { current: ConnectionFormValues }) {
  const t = useTranslations("dataSources.form");
  const [state, action] = useActionState(saveConnectionAction, initialFormState);
  const errors = state.fieldErrors ?? {};
  const values = state.values;
  const value = (name: "clientId" | "baseUrl") => values?.[name] ?? current[name];
  return (
    <form
      key={JSON.stringify(values ?? {})}
      action={action}
      aria-labelledby="connection-heading"
      className="max-w-3xl rounded border border-gray-200 bg-white p-4"
    >
      <h2 id="connection-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <FormMessage state={state} />
      <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field id="clientId" label={t("clientId")} error={errors.clientId}>
          <input
            id="clientId"
            name="clientId"
            defaultValue={value("clientId")}
            required
            spellCheck={false}
            autoComplete="off"
            className={`${fieldClass} font-mono`}
            aria-invalid={!!errors.clientId}
            aria-describedby="clientId-hint clientId-error"
          />
          <p id="clientId-hint" className="mt-1 text-xs text-gray-600">
            {t("clientIdHint")}
          </p>
        </Field>
        <Field id="clientSecret" label={t("clientSecret")} error={errors.clientSecret}>
          <input
            id="clientSecret"
            name="clientSecret"
            type="password"
            required={!current.configured}
            autoComplete="new-password"
            className={fieldClass}
            aria-invalid={!!errors.clientSecret}
            aria-describedby="clientSecret-hint clientSecret-error"
          />
          <p id="clientSecret-hint" className="mt-1 text-xs text-gray-600">
            {current.configured ? t("clientSecretStored") : t("clientSecretNew")}
          </p>
        </Field>
        <Field id="refreshToken" label={t("refreshToken")} error={errors.refreshToken}>
          <input
            id="refreshToken"
            name="refreshToken"
            type="password"
            autoComplete="off"
            className={fieldClass}
            aria-invalid={!!errors.refreshToken}
            aria-describedby="refreshToken-hint refreshToken-error"
          />
          <p id="refreshToken-hint" className="mt-1 text-xs text-gray-600">
            {current.appAndUser ? t("refreshTokenStored") : t("refreshTokenNew")}
          </p>
          {current.appAndUser && (
            <label className="mt-1 flex items-center gap-2 text-xs">
              <input type="checkbox" name="removeRefreshToken" />
              {t("removeRefreshToken")}
            </label>
          )}
        </Field>
        <Field id="baseUrl" label={t("baseUrl")} error={errors.baseUrl}>
          <input
            id="baseUrl"
            name="baseUrl"
            type="url"
            defaultValue={value("baseUrl")}
            spellCheck={false}
            className={`${fieldClass} font-mono`}
            aria-invalid={!!errors.baseUrl}
            aria-describedby="baseUrl-hint baseUrl-error"
          />
          <p id="baseUrl-hint" className="mt-1 text-xs text-gray-600">
            {t("baseUrlHint")}
          </p>
        </Field>
      </div>
      <label className="mt-4 flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="enabled"
          defaultChecked={values ? values.enabled === "on" : current.enabled}
          className="h-4 w-4"
        />
        {t("enabled")}
      </label>
      <div className="mt-4">
        <SubmitButton pendingText={t("saving")}>{t("save")}</SubmitButton>
      </div>
    </form>
  );
}
