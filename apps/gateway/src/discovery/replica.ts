import { z } from 'zod';

/**
 * A replica's registry entry, as each order-service replica writes it into its ephemeral node
 * `<ZK_ROOT>/services/order-service/<id>`. Unknown fields are allowed: a newer replica may say more.
 */
export const replicaRegistrationSchema = z.object({
  id: z.string().min(1),
  host: z.string().min(1),
  httpPort: z.number().int().min(1).max(65535),
  tcpPort: z.number().int().min(1).max(65535),
  pid: z.number().int().optional(),
});

export type Replica = z.infer<typeof replicaRegistrationSchema>;

/** The node name is the identity; data that names another id is a misconfigured replica. */
export function parseReplica(json: unknown, nodeName: string): Replica {
  const replica = replicaRegistrationSchema.parse(json);
  if (replica.id !== nodeName) throw new Error(`registry node ${nodeName} announces id ${replica.id}`);
  return replica;
}
