// What the widget's email tests share: a customer who has written (through the widget's HTTP API,
// as the widget does), an agent's reply, and the email routes as the widget calls them.
import { expect } from "bun:test";
import { conversationDeps } from "../app-context.ts";
import * as conversations from "../conversations/service.ts";
import type { TestApp } from "../testing/test-app.ts";
import { bearer, call, postJson, type Json } from "./widget-api-testing.ts";

export interface WrittenCustomer {
  token: string;
  contactId: string;
  conversationId: string;
}

/** A new visitor of `publicKey` starts a session (in `locale`) and writes `body`. */
export async function customerWhoWrote(t: TestApp, publicKey: string, body = "Where is my order?", locale?: string): Promise<WrittenCustomer> {
  const session = await call(t, "/api/v1/widget/session", postJson({ inbox: publicKey, ...(locale ? { locale } : {}) }));
  expect(session.res.status).toBe(200);
  const token = session.data.token as string;
  const sent = await call(t, "/api/v1/widget/messages", postJson({ clientId: crypto.randomUUID(), body }, bearer(token)));
  expect(sent.res.status).toBe(201);
  const list = await call(t, "/api/v1/widget/messages", { headers: bearer(token) });
  return { token, contactId: session.data.contact.id as string, conversationId: list.data.conversation.id as string };
}

/** The session the widget would start now with `token`. */
export async function sessionOf(t: TestApp, publicKey: string, token: string): Promise<Json> {
  const { res, data } = await call(t, "/api/v1/widget/session", postJson({ inbox: publicKey, token }));
  expect(res.status).toBe(200);
  return data;
}

export function agentReplies(t: TestApp, agent: { id: string; name: string }, conversationId: string, body: string) {
  return conversations.agentSends(conversationDeps(t.ctx), agent, conversationId, crypto.randomUUID(), body);
}

export const answerPrompt = (t: TestApp, token: string, body: unknown) => call(t, "/api/v1/widget/email-prompt", postJson(body, bearer(token)));
export const askTranscript = (t: TestApp, token: string, body: unknown = {}) => call(t, "/api/v1/widget/transcript", postJson(body, bearer(token)));
