import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { LogSender, senderFromConfig, SmtpSender } from './notifications.ts'

/** Just enough of an SMTP server to accept one message and keep what it was given. */
function fakeSmtp() {
  const received: { from: string; to: string[]; data: string }[] = []
  const server: Server = createServer((socket: Socket) => {
    let data: string | null = null
    let from = ''
    let to: string[] = []
    let buffer = ''
    socket.write('220 fake.smtp ESMTP\r\n')
    socket.on('data', (chunk) => {
      buffer += chunk.toString()
      let index: number
      while ((index = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, index)
        buffer = buffer.slice(index + 2)
        if (data !== null) {
          if (line === '.') {
            received.push({ from, to, data })
            data = null
            socket.write('250 queued\r\n')
          } else data += `${line}\n`
          continue
        }
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'MAIL') from = line.slice(10).trim()
        if (verb === 'RCPT') to.push(line.slice(8).trim())
        if (verb === 'RSET') to = []
        if (verb === 'DATA') data = ''
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 fake.smtp\r\n')
        else if (verb === 'DATA') socket.write('354 go on\r\n')
        else if (verb === 'QUIT') socket.end('221 bye\r\n')
        else socket.write('250 ok\r\n')
      }
    })
  })
  return { server, received }
}

describe('notification senders', () => {
  const smtp = fakeSmtp()
  let port = 0
  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve))
    port = (smtp.server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())))

  it('sends through SMTP when SMTP_URL is set, from MAIL_FROM, as plain text', async () => {
    const sender = senderFromConfig({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, mailFrom: 'Lantern <no-reply@lantern.example>' })
    expect(sender).toBeInstanceOf(SmtpSender)
    expect(sender.delivers).toBe(true)
    await sender.send({ to: 'opcc.correspondence@example.org', subject: 'Overdue: PCP 2026/27 Req 2', text: 'The response was due on 31 October 2026.' })
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0].from).toContain('no-reply@lantern.example')
    expect(smtp.received[0].to).toEqual(['<opcc.correspondence@example.org>'])
    expect(smtp.received[0].data).toContain('Subject: Overdue: PCP 2026/27 Req 2')
    expect(smtp.received[0].data).toContain('The response was due on 31 October 2026.')
  })

  it('falls back to the log sender, which says it delivers nothing', async () => {
    const sender = senderFromConfig({ smtpUrl: undefined, mailFrom: 'x@y.z' })
    expect(sender).toBeInstanceOf(LogSender)
    expect(sender.delivers).toBe(false)
    await sender.send({ to: 'a@b.c', subject: 's', text: 't' })
    expect((sender as LogSender).sent).toEqual([{ to: 'a@b.c', subject: 's', text: 't' }])
  })

  it('reports an SMTP failure to the caller, so the outbox can retry', async () => {
    const sender = new SmtpSender('smtp://127.0.0.1:1?connectionTimeout=500', 'x@y.z')
    await expect(sender.send({ to: 'a@b.c', subject: 's', text: 't' })).rejects.toThrow()
  })
})
