"use client";

import { useEffect, useState } from "react";
import { isoDay, readDay } from "@/lib/day-text";

/*
 * "From" after "To" is caught before the form is sent: a day typed (or picked) past the other gets
 * a message naming both fields, shown beside them and given to the browser's own check so the
 * form is not submitted; each field's calendar is bounded by the other day. A day the fields
 * cannot read is left to the server, which names it and keeps the other filters.
 */
export function DateRangeGuard({ fromId, toId, message }: { fromId: string; toId: string; message: string }) {
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    const from = document.getElementById(fromId) as HTMLInputElement | null;
    const to = document.getElementById(toId) as HTMLInputElement | null;
    if (!from || !to) return;
    const check = () => {
      const fromDay = readDay(from.value);
      const toDay = readDay(to.value);
      const [start, end] = [fromDay && isoDay(fromDay), toDay && isoDay(toDay)];
      const fromPicker = document.getElementById(`${fromId}-picker`) as HTMLInputElement | null;
      const toPicker = document.getElementById(`${toId}-picker`) as HTMLInputElement | null;
      if (fromPicker && end) fromPicker.max = end;
      if (toPicker && start) toPicker.min = start;
      const bad = Boolean(start && end && start > end);
      if (from.validationMessage !== (bad ? message : "")) from.setCustomValidity(bad ? message : "");
      for (const field of [from, to])
        if (field.getAttribute("aria-invalid") !== String(bad)) field.setAttribute("aria-invalid", String(bad));
      setInvalid(bad);
    };
    check();
    // As each key is typed, and when a day is picked from the calendar (a change).
    for (const field of [from, to]) for (const type of ["input", "change"]) field.addEventListener(type, check);
    return () => {
      for (const field of [from, to]) for (const type of ["input", "change"]) field.removeEventListener(type, check);
    };
  }, [fromId, toId, message]);
  return (
    <p id={`${fromId}-range-error`} role="alert" className="text-xs text-red-800" data-testid="date-range-error">
      {invalid ? message : null}
    </p>
  );
}
