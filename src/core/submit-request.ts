/**
 * The submit body's schema, on its own so the store can check a saved request without loading the
 * reply parsers of protocol.ts (which arrive with the client, on demand).
 */
import * as z from 'zod/mini';

/** Body of `POST /v1/images/generations` (§2.1). Unknown keys pass through (model-specific extras). */
export const SubmitRequestSchema = z.looseObject({
  model: z.string().check(z.minLength(1)),
  prompt: z.string(),
  size: z.optional(z.string()),
  n: z.optional(z.number().check(z.int(), z.minimum(1))),
  image_urls: z.optional(z.array(z.string())),
  reference_images: z.optional(z.array(z.string())),
  mask_url: z.optional(z.string()),
  resolution: z.optional(z.string()),
  metadata: z.optional(z.record(z.string(), z.unknown())),
  client_business_id: z.optional(z.string()),
  callback_url: z.optional(z.string()),
});
export type SubmitRequest = z.infer<typeof SubmitRequestSchema>;
