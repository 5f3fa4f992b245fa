import net from "node:net";
import { describe, expect, it } from "vitest";
import { startSlot } from "@/lib/chat/start-pacing";

describe("turn starts that arrive together", () => {
  it("start at once when alone", () => {
    expect(startSlot()).toBeUndefined();
  });

  it("are taken one per event-loop iteration, in order, with the I/O that arrived meanwhile handled in between", async () => {
    await new Promise((resolve) => setImmediate(resolve)); // the previous test's slot is released
    // A socket read that is ready when the starts arrive: it must not wait for all of them.
    const server = net.createServer((socket) => socket.end("chunk"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the data is in the socket's buffer by now
    let iteration = 0;
    let ticker: NodeJS.Immediate;
    const tick = () => {
      iteration++;
      ticker = setImmediate(tick);
    };
    ticker = setImmediate(tick); // counts event-loop iterations
    const order: Array<[string, number]> = [];
    client.on("data", () => order.push(["read", iteration]));
    const starts = ["first", "second", "third"].map((name) => (startSlot() ?? Promise.resolve()).then(() => order.push([name, iteration])));
    await Promise.all(starts);
    clearImmediate(ticker);
    client.destroy();
    server.close();
    // Without pacing all three start before the read, in the same iteration.
    const names = order.map(([name]) => name);
    expect(names.filter((n) => n !== "read")).toEqual(["first", "second", "third"]);
    expect(names.indexOf("read")).toBeLessThan(names.indexOf("third"));
    const at = Object.fromEntries(order);
    expect(at.second).toBeGreaterThan(at.first!);
    expect(at.third).toBeGreaterThan(at.second!);
  });
});
