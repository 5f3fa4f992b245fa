import { randomInt } from "node:crypto";

const adjectives = [
  "amber", "bold", "brave", "bright", "calm", "clever", "cosmic", "crisp", "daring", "eager", "fancy", "fresh", "gentle", "golden",
  "happy", "jolly", "keen", "lively", "lucky", "mellow", "mighty", "nimble", "noble", "proud", "quick", "quiet", "rapid", "shiny",
  "silver", "sunny", "swift", "tidy", "vivid", "witty", "zesty",
];
const animals = [
  "badger", "beaver", "bison", "crane", "dolphin", "eagle", "falcon", "ferret", "fox", "gecko", "heron", "ibis", "koala", "lemur",
  "lynx", "marten", "moose", "narwhal", "ocelot", "otter", "owl", "panda", "puffin", "quail", "raven", "salmon", "seal", "sparrow",
  "tapir", "tiger", "walrus", "wombat", "yak", "zebra",
];

const pick = <T>(list: T[]) => list[randomInt(list.length)]!;

/** A readable project name such as `brave-otter-42`. */
export const randomProjectName = () => `${pick(adjectives)}-${pick(animals)}-${randomInt(10, 100)}`;

/**
 * A DNS-label-safe slug (previews are served at `<slug>.<preview domain>`): lowercase a-z, 0-9 and
 * inner hyphens, at most 63 characters; `suffix` is appended to make it unique.
 */
export function slugify(name: string, suffix = ""): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "project";
  const tail = suffix ? `-${suffix}` : "";
  return `${base.slice(0, 63 - tail.length).replace(/-+$/, "")}${tail}`;
}

export const randomSlugSuffix = () => randomInt(36 ** 4).toString(36).padStart(4, "0");
