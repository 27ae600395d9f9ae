"use client";

import { useActionState } from "react";
import { useTranslations } from "next-intl";
import { FormMessage } from "@/components/ui/form-controls";
import { initialFormState } from "@/lib/form-state";
import { testConnectionAction } from "../actions";
import { Button } from "@/components/ui/button";

/** "Test connection", with what the authority and the API said, in words. */
export function TestConnection() {
  const t = useTranslations("dataSources.actions");
  const [state, action, pending] = useActionState(testConnectionAction, initialFormState);
  return (
    <form action={action} className="space-y-1">
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? t("testing") : t("test")}
      </Button>
      <div data-testid="test-result" aria-live="polite">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
