import { z } from 'zod';
import { federationStateSchema } from '../../../shared/protocol/dashboard.ts';

/**
 * Bodies the admin endpoints answer with (server/http/admin-routes.ts). The server builds them itself
 * (FederationService.control, revokeClient's outcome); type-level tests check both still fit, both ways.
 */
export const controlStateSchema = federationStateSchema.shape.control;

export const revokeOutcomeSchema = z.object({
  clientId: z.string(),
  revokedToken: z.string().nullable(),
  note: z.string().optional(),
});

export type ControlState = z.infer<typeof controlStateSchema>;
export type RevokeOutcomeBody = z.infer<typeof revokeOutcomeSchema>;
