import { ChatCompletionsModel } from "./chat-completions/client";
import type { ProviderConfig } from "./providers";

const models = new Map<string, ChatCompletionsModel>();

/** Every provider speaks Chat Completions. Models are reused across turns (they hold no per-request state). */
export function languageModel(config: ProviderConfig, model: string): ChatCompletionsModel {
  const key = JSON.stringify([config.provider, config.baseURL, config.apiKey ?? null, model]);
  let chat = models.get(key);
  if (!chat) {
    chat = new ChatCompletionsModel(config.provider, config.baseURL, config.apiKey, model);
    if (models.size >= 32) models.clear(); // models chosen per message: keep the cache bounded
    models.set(key, chat);
  }
  return chat;
}
