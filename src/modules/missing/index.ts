/** The missing module's public surface: episodes and return home interviews, as others may read them. */
export { missingEpisodesForPerson, missingSuggestionCounts } from './store.ts'
export { rhiStatus, suggestFromEpisodes, CONCERNS } from './rules.ts'
