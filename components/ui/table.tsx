import type { ComponentPropsWithoutRef, ReactNode } from "react";

/*
 * The tables of the settings and customer pages: one look, one scroll box, one phone layout. A
 * table too wide for a phone scrolls inside its box (which the keyboard can reach when it is
 * labelled), or, with `stacked`, turns each row into a block with the header cells read out.
 */

type Align = "left" | "right";

export function Table({
  caption,
  label,
  stacked = false,
  children,
  ...rest
}: {
  /** Read by screen readers only: what the rows are. */
  caption?: string;
  /** Makes the scroll box a named region the keyboard can reach and scroll. */
  label?: string;
  /** On phones each row becomes a stacked card instead of a row that scrolls. */
  stacked?: boolean;
  children: ReactNode;
} & Omit<ComponentPropsWithoutRef<"table">, "className" | "children">) {
  const region = label ? { tabIndex: 0, role: "region", "aria-label": label } : {};
  return (
    <div className="overflow-x-auto rounded border border-gray-200 bg-white" {...region}>
      <table className={`min-w-full divide-y divide-gray-200 text-sm ${stacked ? "max-sm:block" : ""}`} {...rest}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

/** The header row; hidden visually on phones when the table is stacked (cells name themselves). */
export function TableHead({ stacked = false, children }: { stacked?: boolean; children: ReactNode }) {
  return (
    <thead className={`bg-gray-50 ${stacked ? "max-sm:sr-only" : ""}`}>
      <tr>{children}</tr>
    </thead>
  );
}

export function HeaderCell({
  align = "left",
  nowrap = false,
  children,
}: {
  align?: Align;
  nowrap?: boolean;
  children: ReactNode;
}) {
  return (
    <th
      scope="col"
      className={`px-3 py-2 font-semibold ${align === "right" ? "text-right" : "text-left"} ${nowrap ? "whitespace-nowrap" : ""}`}
    >
      {children}
    </th>
  );
}

export function TableBody({ stacked = false, children }: { stacked?: boolean; children: ReactNode }) {
  return <tbody className={`divide-y divide-gray-100 ${stacked ? "max-sm:block" : ""}`}>{children}</tbody>;
}

export function Row({
  stacked = false,
  className = "",
  children,
  ...rest
}: { stacked?: boolean; className?: string; children: ReactNode } & Omit<
  ComponentPropsWithoutRef<"tr">,
  "className" | "children"
>) {
  return (
    <tr className={`${className} ${stacked ? "max-sm:block max-sm:py-2" : ""}`.trim() || undefined} {...rest}>
      {children}
    </tr>
  );
}

export function Cell({
  align = "left",
  numeric = false,
  nowrap = false,
  stacked = false,
  className = "",
  children,
}: {
  align?: Align;
  /** Digits line up (tabular figures). */
  numeric?: boolean;
  nowrap?: boolean;
  stacked?: boolean;
  className?: string;
  children?: ReactNode;
}) {
  const classes = [
    "px-3 py-2",
    align === "right" ? "text-right" : "",
    numeric ? "tabular-nums" : "",
    nowrap ? "whitespace-nowrap" : "",
    stacked ? "max-sm:block max-sm:py-0.5" : "",
    className,
  ];
  return <td className={classes.filter(Boolean).join(" ")}>{children}</td>;
}
