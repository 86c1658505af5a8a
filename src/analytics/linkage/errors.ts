/**
 * Input a user can fix (a missing id column, duplicate ids, a settings file naming an unknown
 * column). Callers such as the CLI turn it into a one-line message.
 */
export class LinkageInputError extends Error {
  override name = 'LinkageInputError'
}
