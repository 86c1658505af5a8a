import nodemailer, { type Transporter } from 'nodemailer'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'

/**
 * How Lantern sends e-mail: SMTP when SMTP_URL is set, otherwise a development log that sends
 * nothing. `delivers` says which, so nothing ever claims a message went when it did not. Used by
 * scrutiny reminders and by notification e-mails.
 */
export interface OutgoingMessage {
  to: string
  subject: string
  text: string
}

export interface NotificationSender {
  /** Recorded with each delivery, so the evidence log says how a message went. */
  readonly transport: string
  /** True when the message really leaves Lantern (an email), false for a development log. */
  readonly delivers: boolean
  send(message: OutgoingMessage): Promise<void>
}

export class SmtpSender implements NotificationSender {
  readonly transport = 'smtp'
  readonly delivers = true
  private readonly transporter: Transporter
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transporter = nodemailer.createTransport(url)
  }
  async send(message: OutgoingMessage) {
    await this.transporter.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text })
  }
}

/** Development and tests: writes who and what to the log (never the body) and keeps the messages. */
export class LogSender implements NotificationSender {
  readonly transport = 'log'
  readonly delivers = false
  readonly sent: OutgoingMessage[] = []
  constructor(private readonly logger?: Logger) {}
  async send(message: OutgoingMessage) {
    this.sent.push(message)
    this.logger?.info({ subject: message.subject }, 'e-mail not sent (log sender: no mail server; set SMTP_URL to send e-mail)')
  }
}

export function senderFromConfig(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, logger?: Logger): NotificationSender {
  return config.smtpUrl ? new SmtpSender(config.smtpUrl, config.mailFrom) : new LogSender(logger)
}
