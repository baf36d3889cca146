import type { Db } from "../client.ts";
import type { Plan } from "../generated/prisma/enums.ts";

/** Two accounts on the same plan: most isolation tests need an owner and someone who must see nothing. */
export function createOwnerAndStranger(db: Db, plan: Plan = "starter"): Promise<{ owner: string; stranger: string }> {
  return db.asSystem(async (tx) => {
    const owner = await tx.user.create({ data: { email: "owner@shop.example", plan } });
    const stranger = await tx.user.create({ data: { email: "stranger@shop.example", plan } });
    return { owner: owner.id, stranger: stranger.id };
  });
}
