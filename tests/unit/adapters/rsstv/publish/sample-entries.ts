import type { FeedEntry } from '../../../../../adapters/rsstv/publish/feed-builder.js';

export const NOW = Date.parse('2026-11-21T09:30:00Z');

/** Two future airings (one with hostile text) and one that is over. */
export const SAMPLE_ENTRIES: readonly FeedEntry[] = [
  {
    guid: 'rsstv-b2',
    title: 'Late <script>alert(1)</script> & Co',
    episodeTitle: 'Part ]]> two',
    note: 'Tom & Jerry say "hi" <b>',
    synopsis: 'A synopsis\nover two lines.',
    suggestedBy: 'Bob <bob@example.com>',
    suggestedAt: Date.parse('2026-11-21T09:15:00Z'),
    callSign: 'KERA-HD',
    channelNumber: '13.1',
    guideChannelId: 'ch-13',
    programId: 'prog-2',
    start: Date.parse('2026-11-21T21:00:00Z'),
    stop: Date.parse('2026-11-21T22:00:00Z'),
  },
  {
    guid: 'rsstv-a1',
    title: 'Good Eats',
    episodeTitle: 'Pantry Raid',
    note: 'you will like this one',
    suggestedBy: 'Ann',
    suggestedAt: Date.parse('2026-11-21T09:12:00Z'),
    callSign: 'FOOD',
    channelNumber: '61',
    guideChannelId: 'ch-61',
    programId: 'prog-1',
    start: Date.parse('2026-11-21T19:00:00Z'),
    stop: Date.parse('2026-11-21T19:30:00Z'),
  },
  {
    guid: 'rsstv-old',
    title: 'Already over',
    suggestedBy: 'Ann',
    suggestedAt: Date.parse('2026-11-20T09:00:00Z'),
    callSign: 'FOOD',
    channelNumber: '61',
    start: Date.parse('2026-11-21T08:00:00Z'),
    stop: Date.parse('2026-11-21T09:00:00Z'),
  },
];
