"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage } from "@/components/ui/form-controls";
import { initialFormState } from "@/lib/form-state";
import { testConnectionAction } from "../actions";

/** "Test connection", with what the authority and the API said, in words. */
export function TestConnection() {
  const t = useTranslations("dataSources.actions");
  const [state, action, pending] = useActionState(testConnectionAction, initialFormState);
  return (
    <form action={action} className="space-y-1">
      <button
        type="submit"
        disabled={pending}
        className="rounded border border-gray-300 bg-white px-4 py-1.5 text-sm font-medium hover:bg-gray-50 disabled:opacity-60 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand"
      >
        {pending ? t("testing") : t("test")}
      </button>
      <div data-testid="test-result" aria-live="polite">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
