import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { formErrors, type Result } from '../../kernel/form-errors.ts'
import type { CurrentUser } from '../../kernel/context.ts'
import { peopleStore, NO_NOTE_FILTER, type NoteReader } from './store.ts'
import { peopleService } from './service.ts'
import { recordPersonEvent, seesPoliceOnly } from './timeline.ts'
import { NOTE_KINDS, type NoteFilter, type NoteInput } from './schemas.ts'

export const NOTES_PAGE_SIZE = 20

export function noteKindText(kind: string): string {
  return NOTE_KINDS.find((k) => k.value === kind)?.text ?? 'Note'
}

/** A note's 3x5x2 grade as analysts write it ("2BP"), or null for an ungraded note. */
export function noteGradeText(n: { grade_source: string | null; grade_assessment: string | null; grade_handling: string | null }): string | null {
  return n.grade_source && n.grade_assessment && n.grade_handling ? `${n.grade_source}${n.grade_assessment}${n.grade_handling}` : null
}

/** A note's line on the person's timeline: its kind, grade and marking, never its text. */
export function noteAddedSummary(kind: string, grade: string | null, policeOnly: boolean): string {
  return `${noteKindText(kind)} note added${grade ? `, graded ${grade}` : ''}${policeOnly ? ' (police only)' : ''}`
}

const readerOf = (user: CurrentUser): NoteReader => ({ policeOnly: seesPoliceOnly(user), agencyId: user.agencyId })

/**
 * Multi-agency case notes. Anyone who may see the person reads the notes, except that notes marked
 * police-only are read by police users only (`seesPoliceOnly`), and intelligence notes under
 * handling code C by the author's agency and the agencies listed as meeting the conditions only,
 * here, on the timeline, in exports and through the API. Only police users may mark a note
 * police-only (anyone else could not read their own note). Notes are never changed: a correction is
 * a new note.
 */
export function notesService(deps: ModuleDeps) {
  const { db, access, audit } = deps
  const store = peopleStore(db)
  const people = peopleService(deps)

  return {
    /** A page of notes the user may read, with the total. Audited as a view of the person's notes. */
    async list(ctx: RequestContext, personId: string, page = 1, filter: NoteFilter = NO_NOTE_FILTER) {
      await people.authorised(ctx, personId)
      const reader = readerOf(ctx.user!)
      const [notes, total] = await Promise.all([
        store.notes(personId, reader, filter, NOTES_PAGE_SIZE, (page - 1) * NOTES_PAGE_SIZE),
        store.countNotes(personId, reader, filter),
      ])
      await audit.record(ctx, { action: 'view', recordType: 'person', recordId: personId, details: { page: 'notes', ...(filter === NO_NOTE_FILTER ? {} : { filter }) } })
      return { notes, total, page, pageSize: NOTES_PAGE_SIZE }
    },

    async add(ctx: RequestContext, personId: string, input: NoteInput): Promise<Result<string>> {
      // On the record itself, so that reading it on a justification (break glass) never lets one write on it.
      await people.authorised(ctx, personId, 'note:create')
      const user = ctx.user!
      if (input.sensitivity === 'police_only' && !seesPoliceOnly(user)) {
        return { ok: false, errors: formErrors([{ field: 'sensitivity', message: 'Only police staff can mark a note police-only' }]) }
      }
      const grade = input.grade
      const grade3x5x2 = grade && `${grade.source}${grade.assessment}${grade.handling}`
      if (grade?.agencyIds.length) {
        const known = new Set((await store.agencies()).map((a) => a.id))
        if (grade.agencyIds.some((id) => !known.has(id))) return { ok: false, errors: formErrors([{ field: 'handlingAgencies', message: 'Select agencies from the list' }]) }
      }
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('person_notes')
          .values({
            person_id: personId,
            kind: input.kind,
            occurred_on: input.occurredOn,
            body: input.body,
            sensitivity: input.sensitivity,
            author_id: user.id,
            author_agency_id: user.agencyId,
            grade_source: grade?.source ?? null,
            grade_assessment: grade?.assessment ?? null,
            grade_handling: grade?.handling ?? null,
            handling_conditions: grade?.conditions ?? null,
            handling_agency_ids: grade?.agencyIds ?? [],
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordPersonEvent(trx, {
          personId,
          kind: 'note',
          summary: noteAddedSummary(input.kind, grade3x5x2, input.sensitivity === 'police_only'),
          actorId: user.id,
          refType: 'person_note',
          refId: row.id,
          policeOnly: input.sensitivity === 'police_only',
        })
        await audit.record(ctx, { action: 'create', recordType: 'person_note', recordId: row.id, details: { personId, sensitivity: input.sensitivity, ...(grade ? { grade: grade3x5x2, handlingAgencyIds: grade.agencyIds } : {}) } }, trx)
        return row.id
      })
      return { ok: true, value: id }
    },

    /**
     * Every note the user may read, for a CSV download: authorised and audited before the first
     * byte is sent, then read in pages.
     */
    async export(ctx: RequestContext, personId: string) {
      await access.authorise(ctx, 'person:export')
      const person = await people.authorised(ctx, personId, 'person:export')
      const reader = readerOf(ctx.user!)
      await audit.record(ctx, { action: 'export', recordType: 'person', recordId: personId, details: { what: 'notes', policeOnlyIncluded: reader.policeOnly } })
      async function* batches(): AsyncGenerator<unknown[][]> {
        for (let offset = 0; ; offset += 500) {
          const rows = await store.notes(personId, reader, NO_NOTE_FILTER, 500, offset)
          yield rows.map((n) => [
            n.occurred_on,
            noteKindText(n.kind),
            n.sensitivity === 'police_only' ? 'Police only' : 'Standard',
            noteGradeText(n) ?? '',
            n.handling_conditions ?? '',
            n.author_name,
            n.author_agency,
            n.created_at,
            n.body,
          ])
          if (rows.length < 500) return
        }
      }
      return {
        filename: `notes-${person.family_name}-${person.given_name}.csv`.toLowerCase(),
        columns: ['Date', 'Kind', 'Who may read it', 'Grade (3x5x2)', 'Handling conditions', 'Author', 'Agency', 'Recorded at', 'Note'],
        batches: batches(),
      }
    },
  }
}

export type NotesService = ReturnType<typeof notesService>
