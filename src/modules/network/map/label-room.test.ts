import { describe, expect, it } from 'vitest'
import { LabelRoom, labelAlongLink } from './label-room.ts'

const measure = (text: string) => text.length * 7
const at = (x: number, y: number, size = 8) => ({ x, y, size })

describe('where the map’s link labels go', () => {
  it('writes a label along its link, upright, centred between the ends and clear of them', () => {
    const glyphs = labelAlongLink('Runs 1BP', measure, at(300, 100), at(100, 100), 0, 2, 0.5)!
    expect(glyphs.map((g) => g.char).join('')).toBe('Runs 1BP')
    // Read left to right although the link runs right to left.
    expect(glyphs[0].x).toBeLessThan(glyphs.at(-1)!.x)
    const middle = (glyphs[0].x + glyphs.at(-1)!.x + 7) / 2
    expect(middle).toBeCloseTo(200, 0)
    for (const g of glyphs) expect(g.angle).toBeCloseTo(0)
  })

  it('gives up on a link too short for its label', () => {
    expect(labelAlongLink('Holds the phone of 2BC', measure, at(100, 100), at(150, 100), 0, 2, 0.5)).toBeNull()
  })

  it('refuses a label over another, over a node or over a name, and takes one clear of them all', () => {
    const room = new LabelRoom()
    const first = labelAlongLink('Runs 1BP', measure, at(0, 100), at(300, 100), 0, 2, 0.5)!
    expect(room.fits(first, 12)).toBe(true)
    room.take(first, 12)
    // A second link along the same line: its label at the same place would cover the first.
    const same = labelAlongLink('Holds 1BP', measure, at(0, 101), at(300, 101), 0, 2, 0.5)!
    expect(room.fits(same, 12)).toBe(false)
    // Further along the link it is clear.
    const along = labelAlongLink('Holds 1BP', measure, at(0, 101), at(600, 101), 0, 2, 0.85)!
    expect(room.fits(along, 12)).toBe(true)
    // Far away it fits, until a node or a name sits there.
    const far = labelAlongLink('Lives at 2BP', measure, at(0, 400), at(300, 400), 0, 2, 0.5)!
    expect(room.fits(far, 12)).toBe(true)
    room.addNode(150, 390, 10)
    expect(room.fits(far, 12)).toBe(false)
    room.clear()
    expect(room.fits(far, 12)).toBe(true)
    room.addName(100, 380, 120, 14)
    expect(room.fits(far, 12)).toBe(false)
    // Clearing the labels alone keeps the nodes and names.
    room.clearLabels()
    expect(room.fits(far, 12)).toBe(false)
  })
})
