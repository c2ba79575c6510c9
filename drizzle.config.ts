import { defineConfig } from "drizzle-kit";

// Migrations are generated into drizzle/ (`bun run db:generate`) and applied at boot by the app.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
});
