/**
 * Control characters (NUL, escape, bell and the rest of C0, and DEL) are never part of what anyone
 * means to type or upload, and PostgreSQL cannot store a NUL in text at all: refused at the door,
 * they cannot fail a statement later. Tab, carriage return and line feed are ordinary text.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/

export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value)
}

/**
 * Deeper than any form or API body Lantern takes. A body nested further is refused as a whole
 * (nestedTooDeeply) rather than searched, so nothing is hidden below where the search stops.
 */
const MAX_NESTING = 32

/** Whether any string in a parsed query, form or JSON body (nested objects and arrays too) holds one. */
export function anyControlCharacter(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return hasControlCharacter(value)
  if (depth > MAX_NESTING || value === null || typeof value !== 'object') return false
  for (const [key, inner] of Object.entries(value)) {
    if (hasControlCharacter(key) || anyControlCharacter(inner, depth + 1)) return true
  }
  return false
}

/** Whether a parsed body or query has objects or arrays nested more than MAX_NESTING deep. */
export function nestedTooDeeply(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false
  if (depth >= MAX_NESTING) return true
  return Object.values(value).some((inner) => nestedTooDeeply(inner, depth + 1))
}

/** How a control character is named to the person who must find it in their file. */
function nameOf(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return code === 0 ? `a NUL byte (${hex})` : `a control character (${hex})`
}

export interface ControlCharacterAt {
  /** Counting from 1, as an editor shows them; a line ends at a line feed. */
  line: number
  column: number
  description: string
}

/** Where a file's first control character is, or null when it has none. */
export function findControlCharacter(text: string): ControlCharacterAt | null {
  const match = CONTROL.exec(text)
  if (!match) return null
  const before = text.slice(0, match.index)
  const line = before.split('\n').length
  const column = match.index - before.lastIndexOf('\n')
  return { line, column, description: nameOf(match[0].charCodeAt(0)) }
}

function problemAt(where: string, description: string): string {
  return `${where} holds ${description}, which is not text: remove it (a file saved in a binary format, such as a spreadsheet's own, holds them) and try again`
}

/** What an importer says of it when it reports the line itself: the column, what it is, what to do. */
export function controlCharacterProblem(found: ControlCharacterAt): string {
  return problemAt(`column ${found.column}`, found.description)
}

/**
 * The same for an importer that has split the line into fields: the first field of `fields` that
 * holds one, named by `nameOf(index)` ("column 7 (Location)"), or undefined when none does.
 */
export function controlCharacterInFields(fields: readonly string[], nameOf: (index: number) => string): string | undefined {
  const index = fields.findIndex(hasControlCharacter)
  if (index < 0) return undefined
  return problemAt(nameOf(index), findControlCharacter(fields[index])!.description)
}

/** The same with the line, for an importer that reports a single sentence. */
export function controlCharacterMessage(found: ControlCharacterAt): string {
  return `line ${found.line}, ${controlCharacterProblem(found)}`
}
