import { describe, expect, it } from 'vitest'
import { extractText } from 'unpdf'
import { subjectAccessPdf } from './subject-access-pdf.ts'
import { REDACTION_FLAGS, type SubjectAccessExport } from './subject-access.ts'

async function pdfText(data: SubjectAccessExport) {
  const { text } = await extractText(new Uint8Array(await subjectAccessPdf(data)), { mergePages: true })
  return text.replace(/\s+/g, ' ')
}

/**
 * The PDF is read by the information governance officer and, once redacted, by the child and their
 * family: stored codes are printed as words and internal keys are left to the JSON file.
 */
describe('the subject access PDF', () => {
  const data = {
    format: 'lantern-subject-access/1',
    generatedAt: '2026-12-01T10:00:00.000Z',
    preparedBy: { name: 'Ruth Adeyemi', role: 'Information governance officer', agency: 'Hampshire County Council' },
    subject: { id: 'f2a1c3d4-0000-4000-8000-000000000001', kind: 'child', given_name: 'Kyle', family_name: 'Marsh', gender: 'non_binary', current_rag: 'red' },
    sections: {
      identifiers: [{ id: 'a', scheme: 'nhs_number', value: '9701532953', flags: [] }],
      missingEpisodes: [{ id: 'b', person_id: 'f2a1c3d4-0000-4000-8000-000000000001', found_by: 'returned_themselves', concerns: ['drugs', 'with_adults', 'trap_house'], flags: ['free_text'] }],
      notes: [{ id: 'c', kind: 'direct_work', body: 'Talked about owing_money as a phrase he uses.', flags: ['free_text'] }],
    },
    titles: { identifiers: 'Identifiers', missingEpisodes: 'Missing episodes', notes: 'Case notes' },
    withheld: [],
    flags: REDACTION_FLAGS,
    notes: [],
  } as unknown as SubjectAccessExport

  it('prints stored codes as words, and free text as it was written', async () => {
    const text = await pdfText(data)
    expect(text).toContain('Found by: Returned themselves')
    expect(text).toContain('Concerns: Drugs; With adults; Trap house')
    expect(text).toContain('Kind: Direct work')
    expect(text).toContain('Scheme: NHS number')
    expect(text).toContain('Gender: Non binary')
    expect(text).toContain('Talked about owing_money as a phrase he uses.')
    expect(text).not.toMatch(/\b[a-z]+_[a-z]+\b(?! as a phrase)/)
  })

  it('leaves record keys to the JSON file', async () => {
    const text = await pdfText(data)
    expect(text).not.toContain('f2a1c3d4-0000-4000-8000-000000000001')
    expect(text).not.toMatch(/Person id/)
  })
})
