"use client";

import { useEffect, useState } from "react";

/*
 * "From" after "To" is caught before the form is sent: each date bounds the other (min and max,
 * which the date pickers honour), and a date typed past its bound gets a message naming both
 * fields, shown beside them and given to the browser's own check so the form is not submitted.
 */
export function DateRangeGuard({ fromId, toId, message }: { fromId: string; toId: string; message: string }) {
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    const from = document.getElementById(fromId) as HTMLInputElement | null;
    const to = document.getElementById(toId) as HTMLInputElement | null;
    if (!from || !to) return;
    const check = () => {
      // Only what changed: rewriting a bound of a field being typed into resets its segments.
      if (to.value && from.max !== to.value) from.max = to.value;
      if (from.value && to.min !== from.value) to.min = from.value;
      const bad = Boolean(from.value && to.value && from.value > to.value);
      if (from.validationMessage !== (bad ? message : "")) from.setCustomValidity(bad ? message : "");
      for (const field of [from, to])
        if (field.getAttribute("aria-invalid") !== String(bad)) field.setAttribute("aria-invalid", String(bad));
      setInvalid(bad);
    };
    check();
    from.addEventListener("change", check);
    to.addEventListener("change", check);
    return () => {
      from.removeEventListener("change", check);
      to.removeEventListener("change", check);
    };
  }, [fromId, toId, message]);
  return (
    <p id={`${fromId}-range-error`} role="alert" className="text-xs text-red-800" data-testid="date-range-error">
      {invalid ? message : null}
    </p>
  );
}
