import { M, type StaffContext } from './forms.ts'

/** Files (staff may read restricted ones of their own bodies). */
export function fileRoutes({ routes, scrutiny }: StaffContext) {
  routes.get(`${M}/files/:fileId`, { permission: 'scrutiny:view' }, async (req, res) => {
    const file = await scrutiny.file(req.ctx, req.params.fileId)
    if (!file.content) return res.redirect(file.url!)
    res.setHeader('Content-Type', file.content_type!)
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename!.replace(/[^\w.()' -]/g, '_')}"`)
    res.send(file.content)
  })
}
