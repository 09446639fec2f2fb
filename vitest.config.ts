import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    // End-to-end tests drive a real Chromium; two cores, so keep them few and patient.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "./test/summary-reporter.ts"],
    // In GitHub Actions digest reports as workflow annotations; the tests read its plain words unless they ask (--format).
    env: { GITHUB_ACTIONS: "" },
  },
});
