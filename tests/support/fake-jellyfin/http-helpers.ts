/** What the stand-in's JSON endpoints share: ASP.NET-style answers and query lookup. */
import type { FakeResponse } from './router.js';

export const json = (status: number, body?: unknown): FakeResponse => ({ kind: 'json', status, ...(body === undefined ? {} : { body }) });

/** An RFC 9110 ProblemDetails body, as ASP.NET answers errors. */
export const problem = (status: number, title: string): FakeResponse => json(status, { type: 'https://tools.ietf.org/html/rfc9110#section-15.5.5', title, status });

/** The first value of a query parameter; names are case-insensitive, as in ASP.NET. */
export function param(q: URLSearchParams, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of q) if (k.toLowerCase() === lower) return v;
  return undefined;
}
