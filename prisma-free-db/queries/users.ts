import type { Queryable } from "../client";
import { isoTime } from "../time";

export interface User {
  id: string;
  email: string | null;
  name: string;
  image: string | null;
  created_at: string;
}

type UserRow = Omit<User, "created_at"> & { created_at: unknown };

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, name: r.name, image: r.image, created_at: isoTime(r.created_at) });

export async function getUserById(db: Queryable, { id }: { id: string }): Promise<User | undefined> {
  const row = await db.one<UserRow>("SELECT id, email, name, image, created_at FROM users WHERE id = $1", [id]);
  return row && toUser(row);
}

export async function insertUser(
  db: Queryable,
  { id, email, name, image }: { id: string; email: string | null; name: string; image: string | null },
): Promise<void> {
  await db.run("INSERT INTO users (id, email, name, image) VALUES ($1, $2, $3, $4)", [id, email, name, image]);
}

export async function updateUserProfile(
  db: Queryable,
  { id, email, name, image }: { id: string; email: string | null; name: string; image: string | null },
): Promise<void> {
  await db.run("UPDATE users SET email = $2, name = $3, image = $4, updated_at = now() WHERE id = $1", [id, email, name, image]);
}
