import { z } from "zod";
import { FRAMEWORKS } from "./report-templates.ts";

/** `POST /api/v1/reports` and `requestReport`: one schema (pure; the API parses with it too). */
export const reportRequestSchema = z.object({
  framework: z.enum(FRAMEWORKS),
  tenantId: z.string().min(1).nullable().default(null),
  periodDays: z.number().int().min(1).max(3650).default(90),
});
export type ReportRequest = z.input<typeof reportRequestSchema>;
