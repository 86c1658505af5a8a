import { describe, expect, it } from 'vitest'
import { ConflictError } from '../kernel/errors.ts'
import { showingSavedOnConflict, sideBySide } from './conflict.ts'

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
