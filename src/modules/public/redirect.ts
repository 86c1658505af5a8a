import type { Request, Response } from 'express'

/**
 * Redirects once the session is written. express-session otherwise saves while the redirect is
 * already on its way, and a browser (or a pooled database connection) can load the next page
 * before the answer or the flash message is stored.
 */
export function redirectAfterSave(req: Request, res: Response, url: string, status = 303): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.save((err) => {
      if (err) return reject(err)
      res.redirect(status, url)
      resolve()
    })
  })
}
