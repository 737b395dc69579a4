/**
 * Configuration of the `rsstv` adapter: the global section `adapters.rsstv` and the per-device
 * overrides `devices[].adapters.rsstv` (zod strictObjects: unknown keys are errors).
 */
import { z } from 'zod';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const feedUrl = z
  .string()
  .max(2000)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL');

export const rsstvConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Seconds between polls of the subscribed feeds (conditional GET). */
  pollIntervalSeconds: z.number().int().min(10).max(86_400).default(900),
  /** Feeds to subscribe to (others' RSSTV feeds); more can be added by the owner at run time. */
  feeds: z.array(z.strictObject({ name: z.string().min(1).max(100), url: feedUrl })).max(100).default([]),
  /** Schedule the friends' suggestions of this sidecar (its own feed, read in-process). */
  consumeOwnFeed: z.boolean().default(true),
  /** Recordings at once: a number, or `tuners` = the live TV tuner count. */
  maxConcurrentRecordings: z.union([z.number().int().min(1).max(64), z.literal('tuners')]).default('tuners'),
  /** IANA zone the published XMLTV times are written in (the offset follows DST). */
  timeZone: z.string().refine(isTimeZone, 'unknown time zone').default('UTC'),
  feedTitle: z.string().min(1).max(200).default('Program My DVR'),
  /** Items per published feed (soonest first). */
  maxFeedItems: z.number().int().min(1).max(1000).default(200),
  descriptionMaxLength: z.number().int().min(40).max(4000).default(500),
  /** Also publish one feed per friend with only their suggestions. */
  publishPerFriend: z.boolean().default(true),
  /** Suggestions wait for the owner's approval before they enter the feed. */
  requireApproval: z.boolean().default(false),
  /** Days an invite link stays valid unless the owner says otherwise (0 = no expiry). */
  inviteExpiryDays: z.number().int().min(0).max(3650).default(30),
  /** Days of guide offered on the suggestion page. */
  guideDays: z.number().int().min(1).max(14).default(7),
  limits: z
    .strictObject({
      perMinute: z.number().int().min(1).max(1000).default(3),
      perDay: z.number().int().min(1).max(10_000).default(10),
      /** Suggestions not yet aired, over all friends. */
      maxPending: z.number().int().min(1).max(10_000).default(50),
      noteMaxLength: z.number().int().min(0).max(2000).default(280),
      /** Failed token attempts per IP within 10 minutes before 429. */
      failedTokenAttempts: z.number().int().min(1).max(10_000).default(20),
    })
    .prefault({}),
  /** Call sign → our channel id, for stations the call-sign match cannot find. */
  channelAliases: z.record(z.string().regex(/^[A-Z0-9-]{1,16}$/), z.string().min(1)).default({}),
  /** Resolve a channel by its number when the call sign finds nothing (same lineup only). */
  numberFallback: z.boolean().default(false),
  fetch: z
    .strictObject({
      timeoutSeconds: z.number().int().min(1).max(120).default(10),
      maxBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
      /** New items handled per feed and poll; the rest wait for the next poll. */
      maxItemsPerPoll: z.number().int().min(1).max(10_000).default(100),
    })
    .prefault({}),
  /** Backoff for items that failed (`Error`): base · 2^(attempt−1), capped. */
  retry: z
    .strictObject({
      baseSeconds: z.number().int().min(1).max(3600).default(60),
      maxSeconds: z.number().int().min(1).max(86_400).default(3600),
    })
    .prefault({}),
});

export type RsstvConfig = z.infer<typeof rsstvConfigSchema>;

export const rsstvDeviceSchema = z.strictObject({
  /** Items in the feed this reader gets (old readers choke on long feeds). */
  maxFeedItems: z.number().int().min(1).max(1000).exactOptional(),
});

/** Effective per-device settings (feed readers and the owner's browser). */
export interface RsstvDeviceSettings {
  readonly maxFeedItems: number;
}

export function rsstvDeviceDefaults(config: RsstvConfig): RsstvDeviceSettings {
  return { maxFeedItems: config.maxFeedItems };
}
