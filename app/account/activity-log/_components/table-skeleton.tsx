import { useTranslations } from "next-intl";

/** Stands in for the table while a page of the log loads. */
export function TableSkeleton({ rows = 10 }: { rows?: number }) {
  const t = useTranslations("activityLog.skeleton");
  return (
    <div
      role="status"
      aria-label={t("label")}
      className="animate-pulse rounded border border-gray-200 bg-white p-3"
      data-testid="table-skeleton"
    >
      <div className="mb-3 h-5 w-1/3 rounded bg-gray-200" />
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="mb-2 flex gap-4">
          <div className="h-4 w-6 rounded bg-gray-200" />
          <div className="h-4 w-40 rounded bg-gray-200" />
          <div className="h-4 flex-1 rounded bg-gray-100" />
          <div className="h-4 w-40 rounded bg-gray-200" />
          <div className="h-4 w-20 rounded bg-gray-100" />
        </div>
      ))}
      <span className="sr-only">{t("loading")}</span>
    </div>
  );
}
