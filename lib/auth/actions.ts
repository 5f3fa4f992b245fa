"use server";

import { AuthError } from "next-auth";
import { redirect } from "next/navigation";
import { nextAuth } from "./auth";

export async function localSignIn(formData: FormData) {
  try {
    await nextAuth().signIn("local", {
      username: String(formData.get("username") ?? ""),
      password: String(formData.get("password") ?? ""),
      redirectTo: "/",
    });
  } catch (error) {
    // A successful sign-in throws Next's redirect, which must propagate.
    if (error instanceof AuthError) redirect(`/signin?error=${encodeURIComponent(error.type)}`);
    throw error;
  }
}

export async function signOutAction() {
  await nextAuth().signOut({ redirectTo: "/signin" });
}
