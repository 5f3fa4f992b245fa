import type { Page } from "playwright-core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { reply, text } from "../fixtures/scripted-llm/server";
import { browserWorld, screenshot } from "./support";

/** A striped picture, so the screenshot shows which image is where. */
async function picture(format: "png" | "jpeg" | "gif", color: { r: number; g: number; b: number }): Promise<string> {
  const stripes = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="100"><rect width="160" height="100" fill="rgb(${color.r},${color.g},${color.b})"/><rect x="0" y="40" width="160" height="20" fill="white"/></svg>`,
  );
  return (await sharp(stripes)[format]().toBuffer()).toString("base64");
}

/** Fires a paste (onto the chat input) or a drop (onto the composer) carrying one image file, as the browser does. */
async function putImage(page: Page, how: "paste" | "drop", base64: string, name: string, type: string) {
  const target = page.getByTestId(how === "paste" ? "chat-input" : "chat-composer");
  await target.evaluate(
    (el, { how, base64, name, type }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], name, { type }));
      if (how === "paste") {
        el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      } else {
        el.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
        el.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { how, base64, name, type },
  );
}

describe("images in the chat", () => {
  const world = browserWorld({ user: "iris" });

  it("pastes and drops images into the input, sends them, and shows them as thumbnails that open full size", async () => {
    const { page, server, llm } = world;
    await page.goto(`${server.url}/projects/${await world.createProject("Pictures")}`);
    await page.getByTestId("chat-input").waitFor();

    const pasted = await picture("png", { r: 220, g: 40, b: 60 });
    const dropped = await picture("jpeg", { r: 40, g: 90, b: 220 });
    await putImage(page, "paste", pasted, "pasted.png", "image/png");
    await putImage(page, "drop", dropped, "dropped.jpg", "image/jpeg");
    await putImage(page, "drop", await picture("gif", { r: 30, g: 160, b: 60 }), "removed.gif", "image/gif");
    const ready = page.locator('[data-testid="pending-attachment"][data-state="ready"]');
    await expect.poll(() => ready.count(), { timeout: 15_000 }).toBe(3);
    await page.getByRole("button", { name: "Remove image removed.gif" }).click();
    await expect.poll(() => page.getByTestId("pending-attachment").count(), { timeout: 10_000 }).toBe(2);
    await screenshot(page, "30-chat-images-pending");

    llm.enqueue(reply([text("A red picture and a blue one, each with a white stripe.")]));
    await page.getByTestId("chat-input").fill("What is in these pictures?");
    await page.getByTestId("chat-send").click();
    await page.locator('[data-testid="assistant-message"][data-status="complete"]').waitFor();
    await expect(page.getByTestId("pending-attachment").count()).resolves.toBe(0);

    // The model received both images, as image parts after the text.
    const sent = llm.requests.at(-1)!.body.messages.at(-1)!.content as Array<{ type: string; image_url?: { url: string } }>;
    expect(sent.map((p) => p.type)).toEqual(["text", "image_url", "image_url"]);
    expect(sent[1]!.image_url!.url).toBe(`data:image/png;base64,${pasted}`);
    expect(sent[2]!.image_url!.url).toBe(`data:image/jpeg;base64,${dropped}`);

    // The sent message shows both thumbnails, loaded from the attachments API.
    const thumbs = page.getByTestId("user-message").getByTestId("message-attachment");
    await expect.poll(() => thumbs.count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth)), { timeout: 10_000 }).toEqual([160, 160]);
    await expect(thumbs.first().getAttribute("alt")).resolves.toBe("Attached image 1 (160×100 PNG)");
    await screenshot(page, "31-chat-images-sent");

    await page.getByRole("button", { name: "Attached image 2 (160×100 JPEG)" }).click();
    const viewer = page.getByTestId("attachment-viewer");
    await viewer.getByRole("img", { name: "Attached image 2 (160×100 JPEG)" }).waitFor();
    await screenshot(page, "32-chat-image-full-size");
    await viewer.getByRole("button", { name: "Close" }).click();
    await expect.poll(() => viewer.isVisible(), { timeout: 10_000 }).toBe(false);

    // After a reload the stored conversation shows them again.
    await page.reload();
    await expect.poll(() => page.getByTestId("user-message").getByTestId("message-attachment").count(), { timeout: 30_000 }).toBe(2);
    expect(world.errors.filter((e) => !e.includes("favicon"))).toEqual([]);
  });
});
