/** The missing module's public surface: episodes and return home interviews, as others may read them. */
export { missingEpisodesForPerson, missingSuggestionCounts, reviewPrompted, reviewPromptFor } from './store.ts'
export { rhiStatus, suggestFromEpisodes, CONCERNS, SERIOUS_REASON_TEXT, type SeriousReason } from './rules.ts'
export { missingEvents } from './events-store.ts'
