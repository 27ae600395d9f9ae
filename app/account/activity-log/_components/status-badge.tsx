import type { OperationStatus } from "@/lib/domain";

const STYLES: Record<OperationStatus, string> = {
  succeeded: "bg-green-50 text-green-800 ring-green-600/30",
  failed: "bg-red-50 text-red-800 ring-red-600/30",
  progress: "bg-amber-50 text-amber-900 ring-amber-600/30",
  // Declined is not a fault: neutral, so that it does not read as failed.
  decline: "bg-slate-100 text-slate-800 ring-slate-500/30",
};

export function StatusBadge({ status, label }: { status: OperationStatus; label: string }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STYLES[status]}`}>
      {label}
    </span>
  );
}
