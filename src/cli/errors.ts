/**
 * Errors a user can fix (bad file, bad flag): the CLI prints one clear line and exits 1, no stack
 * trace. Kept apart from index.ts because commands are loaded inside index.ts's top-level await:
 * a command importing index.ts would wait on itself.
 */
export class UserError extends Error {}
