import Link from "next/link";

/** The portal's header: product name, the cloud badge and the Account settings menu. */
export function SiteHeader() {
  return (
    <header className="bg-brand-dark text-white">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
        <Link href="/" className="text-lg font-semibold tracking-tight">
          Partner Activity Log
        </Link>
        <div className="ml-auto flex items-center gap-3" data-testid="header-actions" />
      </div>
    </header>
  );
}
