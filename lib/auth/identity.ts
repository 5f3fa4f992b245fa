import { randomUUID } from "node:crypto";
import { getDb } from "@/prisma-free-db/client";
import { findAccount, insertAccount } from "@/prisma-free-db/queries/accounts";
import { forgetUser } from "./lookup-cache";
import { getUserById, insertUser, updateUserProfile, type User } from "@/prisma-free-db/queries/users";

export interface SignInProfile {
  provider: string;
  providerAccountId: string;
  email: string | null;
  name: string;
  image: string | null;
}

/**
 * Finds the user behind an identity, creating the user on first sign-in. When `linkToUserId` is given
 * (a signed-in user connecting another provider), a new identity is attached to that user instead.
 */
export async function resolveSignIn(profile: SignInProfile, linkToUserId?: string): Promise<User> {
  const db = await getDb();
  const userId = await db.transaction(async (tx) => {
    const existing = await findAccount(tx, profile);
    if (existing) {
      // A user's name is theirs; a linked identity only fills in what is missing.
      const user = await getUserById(tx, { id: existing.user_id });
      if (user && ((!user.email && profile.email) || (!user.image && profile.image))) {
        await updateUserProfile(tx, { id: user.id, name: user.name, email: user.email ?? profile.email, image: user.image ?? profile.image });
      }
      return existing.user_id;
    }
    const linkTarget = linkToUserId ? await getUserById(tx, { id: linkToUserId }) : undefined;
    const id = linkTarget?.id ?? randomUUID();
    if (!linkTarget) await insertUser(tx, { id, email: profile.email, name: profile.name, image: profile.image });
    await insertAccount(tx, { id: randomUUID(), userId: id, provider: profile.provider, providerAccountId: profile.providerAccountId });
    return id;
  });
  forgetUser(userId);
  const user = await getUserById(db, { id: userId });
  if (!user) throw new Error("user vanished after sign-in");
  return user;
}

/** The user an identity already belongs to, if any. */
export async function identityOwner(identity: { provider: string; providerAccountId: string }): Promise<string | undefined> {
  return (await findAccount(await getDb(), identity))?.user_id;
}
