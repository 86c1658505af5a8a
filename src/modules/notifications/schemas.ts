import { z } from 'zod'

export const emailChoiceSchema = z.object({
  email: z.enum(['off', 'immediate', 'daily'], { message: 'Choose how you want to be e-mailed' }),
})

export const watchSchema = z.object({
  watch: z.enum(['on', 'off'], { message: 'Choose whether to watch this' }),
})

export const listQuerySchema = z.object({
  show: z.enum(['all', 'unread']).catch('all'),
})
