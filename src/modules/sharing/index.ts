/** Lawful sharing: other capabilities link to its pages; nothing else of it is theirs to use. */
export { LEGAL_BASES, legalBasisText } from './legal-bases.ts'
