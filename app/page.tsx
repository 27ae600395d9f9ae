export default function HomePage() {
  return (
    <section className="space-y-3">
      <h1 className="text-2xl font-semibold">Partner Activity Log</h1>
      <p className="max-w-2xl text-gray-700">
        A record of every action taken on your customers&apos; accounts and product transactions: who
        created a customer, who ordered which subscriptions, who changed a license count, and what failed.
      </p>
    </section>
  );
}
