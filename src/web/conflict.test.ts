import { describe, expect, it } from 'vitest'
import { ConflictError } from '../kernel/errors.ts'
import { resubmission, showingSavedOnConflict, sideBySide } from './conflict.ts'

describe('the conflict page’s two versions', () => {
  it('pairs each answer as typed with the saved one, dates as one answer, and keeps answers only one side has', () => {
    const rows = sideBySide(
      { _csrf: 'x', version: '3', school: 'Typed', 'dob-day': '1', 'dob-month': '2', 'dob-year': '2010', preferredName: 'Kai' },
      { version: 4, school: 'Saved', 'dob-day': '1', 'dob-month': '2', 'dob-year': '2010', ethnicity: 'white_british' },
    )
    expect(rows).toEqual([
      { label: 'School', typed: 'Typed', saved: 'Saved', differs: true },
      { label: 'Dob', typed: '1/2/2010', saved: '1/2/2010', differs: false },
      { label: 'Preferred name', typed: 'Kai', saved: '', differs: true },
      { label: 'Ethnicity', typed: '', saved: 'white_british', differs: true },
    ])
  })

  it('reads the saved version only when the save lost, and a failure to read it leaves the conflict as it was', async () => {
    let reads = 0
    const saved = async () => {
      reads++
      return { school: 'Saved' }
    }
    expect(await showingSavedOnConflict(Promise.resolve('ok'), saved)).toBe('ok')
    expect(reads).toBe(0)
    const lost = await showingSavedOnConflict(Promise.reject(new ConflictError('changed')), saved).catch((err: ConflictError) => err)
    expect(lost.saved).toEqual({ school: 'Saved' })
    const unread = await showingSavedOnConflict(Promise.reject(new ConflictError('changed')), () => Promise.reject(new Error('gone'))).catch((err: ConflictError) => err)
    expect(unread).toBeInstanceOf(ConflictError)
    expect(unread.saved).toBeUndefined()
  })
})

describe('the conflict page’s answers to a choice', () => {
  it('shows a select or radio answer as its option’s text on both sides, never the stored value', () => {
    const areas = [
      { value: '5b0c…-havant', text: 'Havant' },
      { value: '9e1f…-portsmouth', text: 'Portsmouth' },
    ]
    const rows = sideBySide({ currentAreaId: '9e1f…-portsmouth', status: 'in_progress', school: 'Typed' }, { currentAreaId: '5b0c…-havant', status: 'done', school: 'Typed' }, {
      currentAreaId: areas,
      status: [
        { value: 'in_progress', text: 'In progress' },
        { value: 'done', text: 'Done' },
      ],
    })
    expect(rows).toEqual([
      { label: 'Current area id', typed: 'Portsmouth', saved: 'Havant', differs: true },
      { label: 'Status', typed: 'In progress', saved: 'Done', differs: true },
      { label: 'School', typed: 'Typed', saved: 'Typed', differs: false },
    ])
  })

  it('reads the form’s choices with the saved version, and only then', async () => {
    const lost = await showingSavedOnConflict(Promise.reject(new ConflictError('changed')), async () => ({ rag: 'red' }), async () => ({ rag: [{ value: 'red', text: 'Red' }] })).catch((err: ConflictError) => err)
    expect(lost.choices).toEqual({ rag: [{ value: 'red', text: 'Red' }] })
    const unread = await showingSavedOnConflict(Promise.reject(new ConflictError('changed')), () => Promise.reject(new Error('gone')), { rag: [] }).catch((err: ConflictError) => err)
    expect(unread.choices).toBeUndefined()
  })
})

describe('the conflict page’s questions in the form’s own words', () => {
  it('labels a field by its question where the form gives one, and leaves out a button’s value', () => {
    const labels = { 'status-isolation': 'Isolated from family and friends', action: '' }
    const rows = sideBySide({ version: '2', action: 'later', 'status-isolation': 'current' }, { version: 3, 'status-isolation': 'not_present' }, { 'status-isolation': [{ value: 'current', text: 'Current' }, { value: 'not_present', text: 'Not present' }] }, labels)
    expect(rows).toEqual([{ label: 'Isolated from family and friends', typed: 'Current', saved: 'Not present', differs: true }])
  })

  it('keeps the labels with the saved version it read', async () => {
    const lost = await showingSavedOnConflict(Promise.reject(new ConflictError('changed')), async () => ({ a: 'x' }), undefined, { a: 'A question' }).catch((err: ConflictError) => err)
    expect(lost.labels).toEqual({ a: 'A question' })
  })
})

describe('keeping my changes over theirs', () => {
  it('posts every answer again at the version now seen, without the old form’s token', () => {
    expect(resubmission({ _csrf: 'old', version: '3', school: 'Typed', partners: ['a', 'b'] }, { version: 4, school: 'Saved' })).toEqual([
      { name: 'version', value: '4' },
      { name: 'school', value: 'Typed' },
      { name: 'partners', value: 'a' },
      { name: 'partners', value: 'b' },
    ])
    expect(resubmission({ baseVersion: '6', body: 'Typed' }, { baseVersion: 7, body: 'Saved' })).toEqual([
      { name: 'baseVersion', value: '7' },
      { name: 'body', value: 'Typed' },
    ])
  })

  it('is not offered when the saved version was not read, carries no version, or an answer is not plain text', () => {
    expect(resubmission({ version: '3', school: 'Typed' }, undefined)).toBeNull()
    expect(resubmission({ version: '3', school: 'Typed' }, { school: 'Saved' })).toBeNull()
    expect(resubmission({ school: 'Typed' }, { version: 4, school: 'Saved' })).toBeNull()
    expect(resubmission({ version: '3', nested: { a: 'b' } }, { version: 4 })).toBeNull()
  })
})
