import { randomInt } from "node:crypto";

const adjectives = [
  "amber",
  "bold",
  "brave",
  "bright",
  "calm",
  "clever",
  "cosmic",
  "crisp",
  "daring",
  "eager",
  "fancy",
  "fresh",
  "gentle",
  "golden",
  "happy",
  "jolly",
  "keen",
  "lively",
  "lucky",
  "mellow",
  "mighty",
  "nimble",
  "noble",
  "proud",
  "quick",
  "quiet",
  "rapid",
  "shiny",
  "silver",
  "sunny",
  "swift",
  "tidy",
  "vivid",
  "witty",
  "zesty",
];
const animals = [
  "badger",
  "beaver",
  "bison",
  "crane",
  "dolphin",
  "eagle",
  "falcon",
  "ferret",
  "fox",
  "gecko",
  "heron",
  "ibis",
  "koala",
  "lemur",
  "lynx",
  "marten",
  "moose",
  "narwhal",
  "ocelot",
  "otter",
  "owl",
  "panda",
  "puffin",
  "quail",
  "raven",
  "salmon",
  "seal",
  "sparrow",
  "tapir",
  "tiger",
  "walrus",
  "wombat",
  "yak",
  "zebra",
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

export const randomSlugSuffix = () =>
  randomInt(36 ** 4)
    .toString(36)
    .padStart(4, "0");

/** Words a prompt opens with that say nothing about what it builds ("Please build me a …", "I want a …"). */
const PROMPT_OPENING =
  /^(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:i\s+(?:want|need|would\s+like)\s+(?:to\s+(?:build|make|create)\s+)?|(?:let'?s\s+)?(?:build|make|create|generate|write|design|code)\s+(?:me\s+|us\s+)?)?(?:an?\s+|the\s+|some\s+)?/i;

/**
 * A short project name from a prompt: its first line without the request words, at most six words and 48
 * characters, capitalised ("Build me a todo app with dark mode" → "Todo app with dark mode"). Empty when nothing
 * is left.
 */
export function nameFromPrompt(prompt: string): string {
  const line = prompt.trim().split("\n")[0]!.trim();
  const words = line
    .replace(PROMPT_OPENING, "")
    .replace(/[^\p{L}\p{N}'\s-]+/gu, " ")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6);
  let name = words.join(" ");
  if (name.length > 48) name = name.slice(0, 48).replace(/\s+\S*$/, "");
  return name ? name[0]!.toUpperCase() + name.slice(1) : "";
}
