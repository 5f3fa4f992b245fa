// search_files' line matcher (line-search.ts), on a thread of its own: a regular expression from the model can
// backtrack for minutes on one line, and here it is stopped without the server's event loop waiting on it.
import { parentPort, workerData } from "node:worker_threads";

const pattern = new RegExp(workerData.source, workerData.flags);

parentPort.on("message", ({ files, limit }) => {
  const matches = [];
  for (const { path, text } of files) {
    const lines = text.split("\n");
    for (let i = 0; i < lines.length && matches.length < limit; i++) {
      if (pattern.test(lines[i])) matches.push({ path, line: i + 1, text: lines[i].slice(0, 300) });
    }
    if (matches.length >= limit) break;
  }
  parentPort.postMessage(matches);
});
