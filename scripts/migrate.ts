import { runMigrations } from "@/db/migrate";
import { runScript, withDatabase } from "./with-database";

runScript("db:migrate", () =>
  withDatabase(async (url) => {
    await runMigrations(url);
    console.log("db:migrate: the database is up to date");
  }),
);
