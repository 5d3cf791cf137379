import { z } from 'zod';

/**
 * A replica's registry entry: the data of its ephemeral node under `ZookeeperPaths.registry`,
 * written by the replica, read by the gateway. Unknown fields are allowed: a newer replica may say more.
 */
export const replicaRegistrationSchema = z.object({
  id: z.string().min(1),
  host: z.string().min(1),
  httpPort: z.number().int().min(1).max(65535),
  tcpPort: z.number().int().min(1).max(65535),
  pid: z.number().int().optional(),
});

export type ReplicaRegistration = z.infer<typeof replicaRegistrationSchema>;

/** The node name is the identity; data that names another id is a misconfigured replica. */
export function parseReplicaRegistration(json: unknown, nodeName: string): ReplicaRegistration {
  const replica = replicaRegistrationSchema.parse(json);
  if (replica.id !== nodeName) throw new Error(`registry node ${nodeName} announces id ${replica.id}`);
  return replica;
}
