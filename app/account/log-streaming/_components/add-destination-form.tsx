"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { OPERATION_STATUSES, STREAM_FORMATS, STREAM_KINDS } from "@/db/schema";
import { Field, fieldClass, FormMessage, SubmitButton } from "@/app/customers/_components/form-controls";
import { addDestinationAction, type AddDestinationState } from "../actions";

const initial: AddDestinationState = { ok: false };

export function AddDestinationForm() {
  const t = useTranslations("logStreaming");
  const statusLabel = useTranslations("statuses");
  const [state, action] = useActionState(addDestinationAction, initial);
  const errors = state.fieldErrors ?? {};
  const values = state.values ?? {};
  type InputName = "name" | "url" | "host" | "port" | "batchSize" | "secret" | "operationTypes" | "customerIds";
  const input = (name: InputName, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field id={`dest-${name}`} label={t(`add.${name}`)} error={errors[name]}>
      <input
        id={`dest-${name}`}
        name={name}
        defaultValue={values[name]}
        className={fieldClass}
        aria-invalid={!!errors[name]}
        aria-describedby={`dest-${name}-error`}
        {...props}
      />
    </Field>
  );
  return (
    <form
      key={JSON.stringify(state.values ?? {}) + String(state.ok)}
      action={action}
      aria-label={t("add.title")}
      className="max-w-3xl rounded border border-gray-200 bg-white p-4"
    >
      <h2 className="text-lg font-semibold">{t("add.title")}</h2>
      <FormMessage state={state} />
      {state.generatedSecret && (
        <div role="status" className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p>{t("add.generatedSecret")}</p>
          <code className="mt-1 block break-all font-mono" data-testid="generated-secret">
            {state.generatedSecret}
          </code>
        </div>
      )}
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
        {input("name", { required: true, maxLength: 100 })}
        <Field id="dest-kind" label={t("add.kind")} error={errors.kind}>
          <select id="dest-kind" name="kind" defaultValue={values.kind ?? "webhook"} className={fieldClass}>
            {STREAM_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {input("url", { type: "url" })}
        <Field id="dest-format" label={t("add.format")} error={errors.format}>
          <select id="dest-format" name="format" defaultValue={values.format ?? "json"} className={fieldClass}>
            {STREAM_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`formats.${f}`)}
              </option>
            ))}
          </select>
        </Field>
        {input("host")}
        {input("port", { type: "number", min: 1, max: 65535 })}
        <div className="flex items-center gap-2 text-sm">
          <input id="dest-tls" name="tls" type="checkbox" defaultChecked={values.tls === "on"} />
          <label htmlFor="dest-tls" className="font-medium">
            {t("add.tls")}
          </label>
        </div>
        {input("batchSize", { type: "number", min: 1, max: 1000, placeholder: "100" })}
        <div className="sm:col-span-2">
          <Field id="dest-tlsCa" label={t("add.tlsCa")} error={errors.tlsCa}>
            <textarea id="dest-tlsCa" name="tlsCa" rows={2} defaultValue={values.tlsCa} className={fieldClass} />
          </Field>
        </div>
        <div className="sm:col-span-2">
          {input("secret", { type: "password", autoComplete: "off" })}
          <p className="mt-1 text-xs text-gray-700">{t("add.secretHint")}</p>
        </div>
        <fieldset className="text-sm sm:col-span-2">
          <legend className="font-medium">{t("add.statuses")}</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {OPERATION_STATUSES.map((s) => (
              <label key={s} className="flex items-center gap-1">
                <input type="checkbox" name="statuses" value={s} />
                {statusLabel(s)}
              </label>
            ))}
          </div>
        </fieldset>
        {input("operationTypes")}
        {input("customerIds")}
      </div>
      <div className="mt-3">
        <SubmitButton pendingText={t("add.pending")}>{t("add.submit")}</SubmitButton>
      </div>
    </form>
  );
}
