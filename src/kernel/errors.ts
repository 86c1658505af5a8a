/** Thrown by services when the actor may not do what they asked; the web layer renders a 403. */
export class ForbiddenError extends Error {
  constructor(
    message: string,
    readonly details: { reason: 'role' | 'need-to-know' | 'break-glass-read-only' | 'retired' | 'closed'; canBreakGlass: boolean; recordType?: string; recordId?: string },
  ) {
    super(message)
  }
}

/** Thrown when a record does not exist (or the actor may not learn that it exists). */
export class NotFoundError extends Error {}

/** Thrown when a save would overwrite someone else's newer change. */
export class ConflictError extends Error {
  /**
   * The record as saved now, under the form's own field names, when the route could read it: the
   * conflict page sets it beside what the user typed.
   */
  saved?: Record<string, unknown>
  /**
   * The options of the form's select and radio questions by field name, so that both versions
   * show an answer as its option's text ("Havant"), never the value stored (an area's id).
   */
  choices?: Choices
  /** The form's questions in its own words by field name, where a field's name means nothing to a reader. */
  labels?: Record<string, string>
}

/** Each question's options, by field name. */
export type Choices = Record<string, readonly { value: string; text: string }[]>

/** Thrown when a request holds what no form could mean (a control character); the web layer renders a 400 with the message. */
export class BadInputError extends Error {
  readonly status = 400
}
