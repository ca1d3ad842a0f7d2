import { z } from 'zod';

/** `health`: how often the workstation tells the fleet it is alive and how it is doing (docs/it-guide.md#health). */
export const healthPolicySchema = z.strictObject({
  /** Minutes between signed `workstation.heartbeat` audit events; the status file is refreshed more often. */
  heartbeatMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
});
export type HealthPolicy = z.infer<typeof healthPolicySchema>;
