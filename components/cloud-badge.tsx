export function CloudBadge({ label }: { label: string }) {
  return (
    <span
      data-testid="cloud-badge"
      className="rounded-full border border-white/40 bg-white/10 px-2.5 py-0.5 text-xs font-semibold uppercase tracking-wide"
    >
      {label}
    </span>
  );
}
