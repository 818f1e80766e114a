import { defineConfig } from "vitest/config";

// Suites by suffix: *.test.ts unit, *.int.test.ts integration (real Postgres,
// Redis, processes), e2e/**/*.e2e.test.ts browser and cross-process.
const shared = { resolve: { conditions: ["source"] } };

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: [
            "{data-plane,control-plane,web,bench}/src/**/*.test.ts",
            "web/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "**/.next/**"],
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          include: ["{data-plane,control-plane,web,bench}/**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "**/.next/**"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          name: "e2e",
          include: ["e2e/**/*.e2e.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        ...shared,
        test: {
          // npm run chaos: faults, hostile input, short soak (real processes; see README "Reliability").
          name: "chaos",
          include: ["e2e/src/reliability/**/*.chaos.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
