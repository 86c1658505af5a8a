import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * Fonts for Lantern's PDFs. PDFKit's built-in Helvetica is encoded in WinAnsi, which has no minus
 * sign (U+2212) and no other character outside Latin-1 and a few more: a fall written "−0.7%"
 * came out garbled. Noto Sans (SIL Open Font Licence, from the npm registry) covers them and is
 * embedded in the file, so the PDF reads the same everywhere.
 */
const require = createRequire(import.meta.url)
let cached: { regular: Buffer; bold: Buffer } | null = null

function fonts() {
  cached ??= {
    regular: readFileSync(require.resolve('@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff')),
    bold: readFileSync(require.resolve('@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff')),
  }
  return cached
}

/** Registers the fonts "Body" and "Bold" on a document and selects "Body". */
export function useLanternFonts(doc: PDFKit.PDFDocument): void {
  const { regular, bold } = fonts()
  doc.registerFont('Body', regular)
  doc.registerFont('Bold', bold)
  doc.font('Body')
}
