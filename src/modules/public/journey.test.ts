import { describe, expect, it } from 'vitest'
import { firstUnanswered, markAnswered, newJourney, newReference, nextPath, previousPath, REFERENCE_PATTERN, JOURNEY } from './journey.ts'

describe('the report journey', () => {
  it('asks one question per page in order, then checks answers', () => {
    const j = newJourney()
    expect(nextPath('what-you-saw', j, false)).toBe('/report/where')
    expect(nextPath('child', j, false)).toBe('/report/anything-else')
    expect(nextPath('contact', j, false)).toBe('/report/check')
  })

  it('goes back to the previous question, the start page from the first, and the last question from check', () => {
    const j = newJourney()
    expect(previousPath('what-you-saw', j)).toBe('/report')
    expect(previousPath('when', j)).toBe('/report/where')
    expect(previousPath('check', j)).toBe('/report/contact')
    expect(previousPath('when', j, true)).toBe('/report/check')
  })

  it('asks for contact details only of a reporter who chose to give them, and forgets them on choosing anonymity', () => {
    let j = newJourney()
    for (const page of JOURNEY.slice(0, 6)) j = markAnswered(j, page.slug, {})
    const named = markAnswered(j, 'contact', { contact: 'contact' })
    expect(nextPath('contact', named, false)).toBe('/report/contact-details')
    expect(firstUnanswered(named)).toBe('contact-details')
    const withDetails = markAnswered(named, 'contact-details', { contactName: 'Pat', contactPhone: '07700 900982' })
    expect(firstUnanswered(withDetails)).toBeUndefined()
    expect(previousPath('check', withDetails)).toBe('/report/contact-details')
    const anonymous = markAnswered(withDetails, 'contact', { contact: 'anonymous' })
    expect(anonymous.answers.contactName).toBeUndefined()
    expect(anonymous.answered).not.toContain('contact-details')
    expect(nextPath('contact', anonymous, false)).toBe('/report/check')
    expect(firstUnanswered(anonymous)).toBeUndefined()
    // Changing from anonymous to named from check your answers asks for the details next.
    expect(nextPath('contact', markAnswered(anonymous, 'contact', { contact: 'contact' }), true)).toBe('/report/contact-details')
  })

  it('returns to check after a change, unless a question is still unanswered', () => {
    let j = newJourney()
    for (const page of JOURNEY.slice(0, 6)) j = markAnswered(j, page.slug, {})
    j = markAnswered(j, 'contact', { contact: 'anonymous' })
    expect(nextPath('where', j, true)).toBe('/report/check')
    const partial = markAnswered(newJourney(), 'what-you-saw', { what: 'x' })
    expect(nextPath('what-you-saw', partial, true)).toBe('/report/where')
  })

  it('counts optional questions as answered only once the reporter has been through them', () => {
    let j = newJourney()
    for (const slug of ['what-you-saw', 'where', 'when'] as const) j = markAnswered(j, slug, {})
    expect(firstUnanswered(j)).toBe('who')
    j = markAnswered(j, 'who', { who: undefined })
    expect(firstUnanswered(j)).toBe('child')
  })

  it('keeps earlier answers when a page is answered again', () => {
    let j = markAnswered(newJourney(), 'what-you-saw', { what: 'Visitors' })
    j = markAnswered(j, 'where', { where: 'Elm Road', area: 'unknown' })
    j = markAnswered(j, 'what-you-saw', { what: 'Visitors at night' })
    expect(j.answers).toEqual({ what: 'Visitors at night', where: 'Elm Road', area: 'unknown' })
    expect(j.answered).toEqual(['what-you-saw', 'where'])
  })

  it('makes unguessable journey tokens and readable references', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newJourney().token))
    expect(tokens.size).toBe(1000)
    for (let i = 0; i < 1000; i++) expect(newReference()).toMatch(REFERENCE_PATTERN)
    expect(newReference()).not.toMatch(/[01ILO]/)
  })
})
