import type { ModuleDeps } from '../types.ts'
import type { RequestContext } from '../../kernel/context.ts'
import { NotFoundError } from '../../kernel/errors.ts'
import { runAsOwner } from '../../db/scope.ts'
import { followUpStore } from './follow-up-store.ts'
import { hashReceipt, newReceipt, normaliseReceipt } from './receipt.ts'

/**
 * The anonymous follow-up. A reporter who asks for one is shown a receipt once; with it they can
 * add information to their report and read the questions staff ask. The reporter has no account
 * and no session: the receipt is their only authority, so its checks read and write as the owner
 * (row-level security lets only triage staff at these tables). No request context reaches this
 * side and no audit event is written (an audit row carries a time and a request id): what the
 * reporter adds is dated by the day only. Staff asking a question are audited as for any act.
 */
export function reporterFollowUp(deps: Pick<ModuleDeps, 'db' | 'clock'>) {
  const store = followUpStore(deps.db)
  const asOwner = <T>(work: () => Promise<T>) => runAsOwner('the reporter’s receipt is their authority for their own report', work)

  async function reportFor(receiptInput: string) {
    const receipt = normaliseReceipt(receiptInput)
    if (!receipt) return null
    return asOwner(() => store.reportByReceipt(hashReceipt(receipt)))
  }

  return {
    /** Gives the report a receipt, returning it: the only time it exists outside the reporter's hands. */
    async issueReceipt(reference: string): Promise<string> {
      const receipt = newReceipt()
      await asOwner(async () => {
        const id = await store.reportIdByReference(reference)
        if (!id) throw new NotFoundError()
        await store.setReceipt(id, hashReceipt(receipt))
      })
      return receipt
    },

    /** What the reporter may see: the questions asked and what they added. Null for a receipt that is not one. */
    async view(receiptInput: string) {
      const report = await reportFor(receiptInput)
      if (!report) return null
      const [questions, additions] = await asOwner(() => Promise.all([store.questions(report.id), store.additions(report.id)]))
      return {
        receipt: normaliseReceipt(receiptInput)!,
        reference: report.reference,
        receivedOn: report.received_on,
        // Who asked stays with staff: the reporter sees the question and its date.
        questions: questions.map((q) => ({ text: q.text, askedOn: q.asked_on })),
        additions: additions.map((a) => ({ text: a.text, addedOn: a.added_on })),
      }
    },

    async add(receiptInput: string, text: string): Promise<boolean> {
      const report = await reportFor(receiptInput)
      if (!report) return false
      await asOwner(() => store.insertAddition({ report_id: report.id, text, added_on: deps.clock.today() }))
      return true
    },
  }
}

/** The staff side: asking the reporter a question (the triage page shows the follow-up with the report). */
export function staffFollowUp(deps: ModuleDeps) {
  const { db, access, audit, clock } = deps
  const store = followUpStore(db)
  return {
    async ask(ctx: RequestContext, reportId: string, text: string) {
      await access.authorise(ctx, 'reports:triage')
      if (!(await store.hasReceipt(reportId))) throw new NotFoundError()
      await db.transaction().execute(async (trx) => {
        const row = await followUpStore(trx).insertQuestion({ report_id: reportId, text, asked_on: clock.today(), asked_by: ctx.user!.id })
        await audit.record(ctx, { action: 'create', recordType: 'public_report_question', recordId: reportId, details: { questionId: row.id } }, trx)
      })
    },
  }
}
