import type { Request, Response, Router } from 'express'
import { z } from 'zod'
import { guardedRouter } from '../../web/routes.ts'
import type { AuthService } from '../../auth/service.ts'
import { parseForm } from '../../web/forms.ts'
import { formErrors } from '../../kernel/form-errors.ts'
import { flash } from '../../web/middleware/current-user.ts'
import { codeSchema } from './routes.ts'

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password'),
    newPassword: z.string().min(1, 'Enter a new password'),
    confirmPassword: z.string().min(1, 'Enter the new password again'),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The new passwords are not the same' })

/**
 * Your account: your password, your second factor and your signed-in sessions. Each page is the
 * signed-in person's own and reads nothing of anyone else's.
 */
export function accountRoutes(auth: AuthService): Router {
  const routes = guardedRouter()

  routes.get('/account', { signedIn: true }, async (req, res) => {
    res.render('auth/views/account.njk', { twoFactor: await auth.secondFactorStatus(req.ctx.user!.id) })
  })

  routes.get('/account/password', { signedIn: true }, (_req, res) => {
    res.render('auth/views/change-password.njk', {})
  })

  routes.post('/account/password', { signedIn: true }, async (req, res) => {
    const parsed = parseForm(changePasswordSchema, req.body)
    if (!parsed.ok) return res.status(400).render('auth/views/change-password.njk', { errors: parsed.errors })
    const result = await auth.changePassword(req.ctx, req.sessionID, parsed.value.currentPassword, parsed.value.newPassword, req.ip ?? '')
    if (!result.ok && result.waitSeconds) {
      res.setHeader('Retry-After', String(result.waitSeconds))
      return res.status(429).render('auth/views/change-password.njk', { errors: formErrors([{ field: result.field, message: result.message }]) })
    }
    if (!result.ok) return res.status(400).render('auth/views/change-password.njk', { errors: formErrors([{ field: result.field, message: result.message }]) })
    flash(req, { type: 'success', text: 'Your password has been changed. You have been signed out everywhere else.' })
    res.redirect('/account')
  })

  async function twoFactorPage(req: Request, res: Response, status = 200, errors?: unknown) {
    res.status(status).render('auth/views/two-factor.njk', { twoFactor: await auth.secondFactorStatus(req.ctx.user!.id), required: auth.secondFactorRequired(req.ctx.user!), errors })
  }

  routes.get('/account/two-factor', { signedIn: true }, (req, res) => twoFactorPage(req, res))

  async function setUpPage(req: Request, res: Response, status = 200, errors?: unknown) {
    const { sealed, shown } = await auth.enrolment(req.ctx.user!.id, req.ctx.user!.email, req.session.enrolSecret)
    req.session.enrolSecret = sealed
    res.status(status).render('auth/views/set-up-two-factor.njk', { enrolment: shown, action: '/account/two-factor/set-up', errors })
  }

  routes.get('/account/two-factor/set-up', { signedIn: true }, async (req, res) => {
    if ((await auth.secondFactorStatus(req.ctx.user!.id)).enabledAt) return res.redirect('/account/two-factor')
    await setUpPage(req, res)
  })

  routes.post('/account/two-factor/set-up', { signedIn: true }, async (req, res) => {
    if ((await auth.secondFactorStatus(req.ctx.user!.id)).enabledAt || !req.session.enrolSecret) return res.redirect('/account/two-factor')
    const parsed = parseForm(codeSchema, req.body)
    if (!parsed.ok) return setUpPage(req, res, 400, parsed.errors)
    const codes = await auth.enableSecondFactor(req.ctx, req.ctx.user!.id, req.session.enrolSecret, parsed.value.code)
    if (!codes) return setUpPage(req, res, 400, formErrors([{ field: 'code', message: 'The code is not correct. Enter the 6-digit code your authenticator app shows now' }]))
    delete req.session.enrolSecret
    res.render('auth/views/recovery-codes.njk', { codes, next: '/account/two-factor' })
  })

  routes.post('/account/two-factor/recovery-codes', { signedIn: true }, async (req, res) => {
    const parsed = parseForm(codeSchema, req.body)
    if (!parsed.ok) return twoFactorPage(req, res, 400, parsed.errors)
    const codes = await auth.regenerateRecoveryCodes(req.ctx, parsed.value.code)
    if (!codes) return twoFactorPage(req, res, 400, formErrors([{ field: 'code', message: 'The code is not correct. Enter the 6-digit code your authenticator app shows now' }]))
    res.render('auth/views/recovery-codes.njk', { codes, next: '/account/two-factor' })
  })

  routes.get('/account/sessions', { signedIn: true }, async (req, res) => {
    res.render('auth/views/sessions.njk', { sessions: await auth.sessions(req.ctx, req.sessionID) })
  })

  routes.post('/account/sessions/:session/sign-out', { signedIn: true }, async (req, res) => {
    const ended = await auth.endSession(req.ctx, req.params.session)
    flash(req, ended ? { type: 'success', text: 'That session has been signed out.' } : { type: 'important', text: 'That session had already ended.' })
    res.redirect('/account/sessions')
  })

  return routes.router
}
