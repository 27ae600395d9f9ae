"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { Field, fieldClass, FormMessage, SubmitButton } from "@/components/ui/form-controls";
import { addDestinationAction, updateDestinationAction, type AddDestinationState } from "../actions";
import { OPERATION_STATUSES, STREAM_FORMATS, STREAM_KINDS, type StreamFormat, type StreamKind } from "@/lib/domain";

const initial: AddDestinationState = { ok: false };

/** A destination's settings as the edit form starts from them (never its secret). */
export interface DestinationSettings {
  id: string;
  name: string;
  kind: StreamKind;
  url: string | null;
  host: string | null;
  port: number | null;
  tls: boolean;
  tlsCa: string | null;
  format: StreamFormat;
  batchSize: number;
  statuses: string[];
  operationTypes: string[];
  customerIds: string[];
  enabled: boolean;
}

type InputName = "name" | "url" | "host" | "port" | "batchSize" | "secret" | "operationTypes" | "customerIds";

/** Adds a destination, or, given one, changes it (its type stays; an empty secret keeps the stored one). */
export function DestinationForm({ destination }: { destination?: DestinationSettings }) {
  const t = useTranslations("logStreaming");
  const statusLabel = useTranslations("statuses");
  const action = destination ? updateDestinationAction.bind(null, destination.id) : addDestinationAction;
  const [state, formAction] = useActionState(action, initial);
  const errors = state.fieldErrors ?? {};
  const start: Record<string, string> = destination
    ? {
        name: destination.name,
        kind: destination.kind,
        url: destination.url ?? "",
        host: destination.host ?? "",
        port: destination.port === null ? "" : String(destination.port),
        tls: destination.tls ? "on" : "",
        tlsCa: destination.tlsCa ?? "",
        format: destination.format,
        batchSize: String(destination.batchSize),
        operationTypes: destination.operationTypes.join(", "),
        customerIds: destination.customerIds.join(", "),
        enabled: destination.enabled ? "on" : "",
      }
    : { enabled: "on" };
  const values = state.values ?? start;
  const checkedStatuses = state.values ? [] : (destination?.statuses ?? []);
  const idOf = (name: string) => `${destination ? `edit-${destination.id}` : "dest"}-${name}`;
  const input = (name: InputName, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field id={idOf(name)} label={t(`add.${name}`)} error={errors[name]}>
      <input
        id={idOf(name)}
        name={name}
        defaultValue={values[name]}
        className={fieldClass}
        aria-invalid={!!errors[name]}
        aria-describedby={`${idOf(name)}-error`}
        {...props}
      />
    </Field>
  );
  const title = destination ? t("edit.title", { name: destination.name }) : t("add.title");
  return (
    <form
      key={JSON.stringify(state.values ?? {}) + String(state.ok)}
      action={formAction}
      aria-label={title}
      className="max-w-3xl rounded border border-gray-200 bg-white p-4"
    >
      <h2 className="text-lg font-semibold">{title}</h2>
      <FormMessage state={state} />
      {state.generatedSecret && (
        <div role="status" className="mt-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p>{t("add.generatedSecret")}</p>
          <code className="mt-1 block font-mono break-all" data-testid="generated-secret">
            {state.generatedSecret}
          </code>
        </div>
      )}
      <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
        {input("name", { required: true, maxLength: 100 })}
        <Field id={idOf("kind")} label={t("add.kind")} error={errors.kind}>
          {destination && <input type="hidden" name="kind" value={destination.kind} />}
          <select
            id={idOf("kind")}
            name={destination ? undefined : "kind"}
            defaultValue={values.kind ?? "webhook"}
            disabled={!!destination}
            className={fieldClass}
          >
            {STREAM_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {input("url", { type: "url" })}
        <Field id={idOf("format")} label={t("add.format")} error={errors.format}>
          <select id={idOf("format")} name="format" defaultValue={values.format ?? "json"} className={fieldClass}>
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
          <input id={idOf("tls")} name="tls" type="checkbox" defaultChecked={values.tls === "on"} />
          <label htmlFor={idOf("tls")} className="font-medium">
            {t("add.tls")}
          </label>
        </div>
        {input("batchSize", { type: "number", min: 1, max: 1000 })}
        <div className="sm:col-span-2">
          <Field id={idOf("tlsCa")} label={t("add.tlsCa")} error={errors.tlsCa}>
            <textarea id={idOf("tlsCa")} name="tlsCa" rows={2} defaultValue={values.tlsCa} className={fieldClass} />
          </Field>
        </div>
        <div className="sm:col-span-2">
          {input("secret", { type: "password", autoComplete: "off" })}
          <p className="mt-1 text-xs text-gray-700">{destination ? t("edit.secretKeep") : t("add.secretHint")}</p>
        </div>
        <fieldset className="text-sm sm:col-span-2">
          <legend className="font-medium">{t("add.statuses")}</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {OPERATION_STATUSES.map((s) => (
              <label key={s} className="flex items-center gap-1">
                <input type="checkbox" name="statuses" value={s} defaultChecked={checkedStatuses.includes(s)} />
                {statusLabel(s)}
              </label>
            ))}
          </div>
        </fieldset>
        {input("operationTypes")}
        {input("customerIds")}
        <div className="flex items-center gap-2 text-sm sm:col-span-2">
          <input id={idOf("enabled")} name="enabled" type="checkbox" defaultChecked={values.enabled === "on"} />
          <label htmlFor={idOf("enabled")} className="font-medium">
            {t("add.enabled")}
          </label>
        </div>
      </div>
      <div className="mt-3">
        <SubmitButton pendingText={destination ? t("edit.pending") : t("add.pending")}>
          {destination ? t("edit.submit") : t("add.submit")}
        </SubmitButton>
      </div>
    </form>
  );
}
